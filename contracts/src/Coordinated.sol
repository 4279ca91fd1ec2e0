// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Coordinated
/// @notice Holds the one account allowed to pay rounds.
/// @dev A base of its own so that RewardDistributor can place it right after OpenZeppelin's
/// Pausable in the inheritance order: `_paused` and `coordinator` then share one storage slot, and
/// the pause check plus the caller check cost a single cold read (asserted by compile.mjs).
abstract contract Coordinated {
    address public coordinator;

    event CoordinatorChanged(address indexed previousCoordinator, address indexed newCoordinator);

    error NotCoordinator(address caller);
    error ZeroCoordinator();

    modifier onlyCoordinator() {
        if (msg.sender != coordinator) revert NotCoordinator(msg.sender);
        _;
    }

    function _setCoordinator(address newCoordinator) internal {
        if (newCoordinator == address(0)) revert ZeroCoordinator();
        emit CoordinatorChanged(coordinator, newCoordinator);
        coordinator = newCoordinator;
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Coordinated} from "./Coordinated.sol";
import {RewardToken} from "./RewardToken.sol";

/// @title RewardDistributor
/// @notice Pays each accepted contribution of a federated training round exactly once, and anchors
/// the round's commitment (hash of its event-log segment and payout list) on chain.
/// @dev The distributor is the reward token itself: the constructor mints the fixed reward budget to
/// this contract, and `payRound` moves it with the token's internal batch path. That keeps the
/// per-recipient cost to one balance write plus the ERC-20 `Transfer` log; a separate token contract
/// would add an external call, and a pull design (Merkle root + claim) would cost every contributor
/// a 21,000-gas transaction of their own.
///
/// Roles: the owner (admin, two-step transfer) pauses, unpauses, rotates the coordinator and can
/// reclaim unspent budget; only the coordinator pays rounds.
contract RewardDistributor is RewardToken, Pausable, Coordinated, Ownable2Step {
    /// @dev roundId => commitment; a non-zero commitment marks the round as paid.
    mapping(uint256 roundId => bytes32) private _commitments;

    /// @notice One per round; the per-recipient payouts are the `Transfer` logs of the same
    /// transaction (a second per-recipient event would cost ~1,500 gas per contributor).
    event RoundPaid(uint256 indexed roundId, bytes32 commitment, uint256 total);

    error RoundAlreadyPaid(uint256 roundId, bytes32 commitment);
    error ZeroCommitment(uint256 roundId);

    constructor(string memory name_, string memory symbol_, uint256 budget, address admin, address coordinator_)
        RewardToken(name_, symbol_, address(this), budget)
        Ownable(admin)
    {
        _setCoordinator(coordinator_);
    }

    /// @notice Records the round's commitment and pays every recipient from this contract's balance.
    /// An empty payout list only anchors the commitment. Reverts with RoundAlreadyPaid on a repeat.
    /// @param payouts One word per recipient: `amount << 160 | uint160(recipient)` (amount < 2**96).
    function payRound(uint256 roundId, bytes32 commitment, uint256[] calldata payouts) external whenNotPaused onlyCoordinator {
        if (commitment == bytes32(0)) revert ZeroCommitment(roundId);
        bytes32 existing = _commitments[roundId];
        if (existing != bytes32(0)) revert RoundAlreadyPaid(roundId, existing);
        _commitments[roundId] = commitment;
        uint256 total = _transferBatch(address(this), payouts);
        emit RoundPaid(roundId, commitment, total);
    }

    function isPaid(uint256 roundId) external view returns (bool) {
        return _commitments[roundId] != bytes32(0);
    }

    /// @notice The commitment stored when the round was paid; zero if it was not.
    function commitmentOf(uint256 roundId) external view returns (bytes32) {
        return _commitments[roundId];
    }

    function setCoordinator(address newCoordinator) external onlyOwner {
        _setCoordinator(newCoordinator);
    }

    function pause() external onlyOwner {
        _pause();
    }

    function unpause() external onlyOwner {
        _unpause();
    }

    /// @notice Moves unspent budget out, e.g. to a successor distributor.
    function reclaim(address to, uint256 amount) external onlyOwner {
        _transfer(address(this), to, amount);
    }
}

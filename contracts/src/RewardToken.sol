// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title RewardToken
/// @notice A fixed-supply ERC-20 (OpenZeppelin 5 `ERC20`) with one addition: a batch transfer whose
/// per-recipient cost is a single balance write and the ERC-20 `Transfer` log.
/// @dev The whole supply is minted once, in the constructor, to `holder`; nothing can mint later.
/// `RewardDistributor` extends this contract and mints the supply to itself, so the token and the
/// distributor are one contract and paying a round needs no external call, allowance or approval.
///
/// The batch path writes OpenZeppelin's private `_balances` mapping directly (slot `BALANCES_SLOT`)
/// instead of calling `_update` once per recipient: `_update` would re-read and re-write the sender's
/// balance for every recipient, which costs more than the per-contributor gas budget allows.
/// compile.mjs refuses to build if `_balances` ever leaves slot 0. Because the path bypasses `_update`,
/// a derived contract must not rely on overriding `_update` (no votes, caps or transfer hooks here).
contract RewardToken is ERC20 {
    /// @dev Storage slot of ERC20._balances; asserted against solc's storage layout by compile.mjs.
    uint256 private constant BALANCES_SLOT = 0;

    /// @dev keccak256("Transfer(address,address,uint256)").
    bytes32 private constant TRANSFER_TOPIC = 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef;

    /// @dev Selector of IERC20Errors.ERC20InvalidReceiver(address).
    bytes4 private constant INVALID_RECEIVER = 0xec442f05;

    /// @dev Selector of IERC20Errors.ERC20InsufficientBalance(address,uint256,uint256).
    bytes4 private constant INSUFFICIENT_BALANCE = 0xe450d38c;

    constructor(string memory name_, string memory symbol_, address holder, uint256 supply) ERC20(name_, symbol_) {
        _mint(holder, supply);
    }

    /// @notice Transfers from the caller to many recipients in one call.
    /// @param payouts One word per recipient: `amount << 160 | uint160(recipient)` (amount < 2**96).
    /// Packing halves the calldata per recipient compared with two parallel arrays.
    /// @return total The sum of the amounts.
    function transferBatch(uint256[] calldata payouts) external returns (uint256 total) {
        return _transferBatch(_msgSender(), payouts);
    }

    /// @dev Credits every recipient, emits one `Transfer(from, recipient, amount)` each, then debits
    /// `from` once by the total (reverting with ERC20InsufficientBalance if it holds less).
    /// No credit can overflow: the debit succeeds only if the total is at most `from`'s balance, so
    /// every credited balance stays within the total supply; otherwise the whole call reverts.
    /// The total cannot overflow either: each amount is below 2**96 and a calldata array holds
    /// far fewer than 2**160 words.
    function _transferBatch(address from, uint256[] calldata payouts) internal returns (uint256 total) {
        assembly ("memory-safe") {
            mstore(0x20, BALANCES_SLOT)
            let p := payouts.offset
            for { let end := add(p, shl(5, payouts.length)) } lt(p, end) { p := add(p, 0x20) } {
                let word := calldataload(p)
                let to := and(word, 0xffffffffffffffffffffffffffffffffffffffff)
                if iszero(to) {
                    mstore(0x00, INVALID_RECEIVER)
                    mstore(0x04, 0)
                    revert(0x00, 0x24)
                }
                let amount := shr(160, word)
                mstore(0x00, to)
                let slot := keccak256(0x00, 0x40)
                sstore(slot, add(sload(slot), amount))
                total := add(total, amount)
                mstore(0x00, amount)
                log3(0x00, 0x20, TRANSFER_TOPIC, from, to)
            }
            mstore(0x00, from)
            let slot := keccak256(0x00, 0x40)
            let held := sload(slot)
            if lt(held, total) {
                let free := mload(0x40)
                mstore(free, INSUFFICIENT_BALANCE)
                mstore(add(free, 0x04), from)
                mstore(add(free, 0x24), held)
                mstore(add(free, 0x44), total)
                revert(free, 0x64)
            }
            sstore(slot, sub(held, total))
        }
    }
}

"""Reference message services on `contracts/order-events` (see README.md beside this file)."""

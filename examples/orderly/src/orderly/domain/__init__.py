"""Business rules for placing, paying for and cancelling orders, independent of I/O."""

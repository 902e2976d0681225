"""Prepare a statement once for every format: pandoc's document tree, conventions, images, checks."""

"""Training loops and recipes for deephype's models (the library in deephype/ never imports this package)."""

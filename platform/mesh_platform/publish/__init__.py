"""What CI may hand to anyone: a warehouse file holding the public data products only (masked), never the
working warehouse with its raw data and private models."""

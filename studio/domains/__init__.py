"""Domain generators (``painting``, ``melody``): representation, network, training, adaptation."""

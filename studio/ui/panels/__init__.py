"""The window's panels: sample bin, gallery, inspector, adaptation. Each runs alone for a look."""

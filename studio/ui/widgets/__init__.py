"""Small reusable widgets: palette swatches, a scale-to-fit picture view."""

"""Qt item models over the studio's core collections (the sample set and the gallery)."""

"""Making text speakable: sentences and clips (segment), and words for numbers and symbols
(normalize)."""

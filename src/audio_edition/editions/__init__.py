"""What an edition holds beside its audio: the manifest, subtitles, the read-along EPUB 3
and page."""

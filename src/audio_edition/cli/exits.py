"""The exit codes of the audio-edition command."""

EXIT_OK = 0
EXIT_FAILURE = 1
"""Something failed: an error, a document of a batch, a check."""
EXIT_USAGE = 2
"""The request itself cannot be met (UsageError's exit code)."""
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
"""As a process ended by SIGPIPE: the reader of standard output (`| head`) stopped reading."""

"""Speaking clips: worker processes, the clip cache, verification and retries."""

"""Speaking: turning each clip's text into verified audio (the clips, the clip ledger, the
local pool of worker processes, the clip cache)."""

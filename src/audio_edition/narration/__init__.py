"""Narrating one document: plan (read, segment, normalize, choose the voice, check), then render
(speak, shape, encode)."""

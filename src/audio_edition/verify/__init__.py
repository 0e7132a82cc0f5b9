"""Checking an edition: levels against a profile, and listening back for lost text."""

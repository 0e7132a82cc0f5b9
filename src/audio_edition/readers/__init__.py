"""Readers: turn an input file into text for segmentation."""

"""Many documents: batch, a podcast feed, and the Dask cluster backend."""

"""The studio: a local web app to narrate a folder's documents, listen, fix a sentence and
narrate again (`audio-edition serve`). app.py routes the JSON API and the page, jobs.py runs
narrations off the event loop, folder.py keeps every path inside the folder served, and
server.py runs it all on uvicorn."""

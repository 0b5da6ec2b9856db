"""`audiogen serve`: one long-running service for listeners, newsrooms and speech clients.

- `store.py`: the jobs, kept in SQLite inside the data folder (`DATA/jobs.sqlite`) behind a
  small `Store` interface; they survive a restart: queued and interrupted jobs run again,
  finished ones stay listed.
- `runner.py`: the long-lived pool of worker processes (batch.Workers: each loads the voice
  once) every conversion runs in, or the Dask cluster; never the server's event loop.
- `jobs.py`: a job's life from POST to done: its source saved or named, queued, converted,
  its progress and outcome recorded, its webhook called, its files removed on DELETE.
- `app.py`: the Starlette application (`make_app(Settings)`): the JSON API, the audio files
  and the podcast feed, token-guarded writes, size and rate limits.

The data folder holds `jobs.sqlite`, `audio/` (the output folder: MP3s, sidecars, manifest,
feed.xml) and `inbox/` (posted bodies and uploads, under names the server makes).

Nothing here is imported by `import audiogen`; starlette and uvicorn (the `serve` extra) load
only when the service starts.
"""

"""The service's OpenAPI 3.1 description, served at /openapi.json: written by hand from the
API app.py serves (a schema generator would know the routes but not the bodies)."""

from __future__ import annotations

from audiogen.service.speech import OPENAPI_PATHS as SPEECH_PATHS

_ERROR = {"description": "one line", "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/Error"}}}}  # fmt: skip
_JOB_REF = {"$ref": "#/components/schemas/Job"}
_ID = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
_NULLABLE_STRING = {"type": ["string", "null"]}

_ARTICLE_FIELDS = {
    "url": {"type": "string", "format": "uri", "description": "a page to fetch; with html, "
            "the page's address"},
    "urls": {"type": "array", "items": {"type": "string", "format": "uri"}},
    "html": {"type": "string", "description": "a saved page"},
    "text": {"type": "string", "description": "an article as copied out of a browser"},
    "headline": {"type": "string"},
    "date": {"type": "string", "description": "2023-03-04 or 2023-03-04T15:14:00+01:00"},
    "byline": {"type": "string"},
    "voice": {"type": "string", "description": "a voice preset (audiogen voices)"},
    "profile": {"type": "string", "description": "NAME of DATA/profiles/NAME.toml"},
    "webhook": {"type": "string", "format": "uri", "description": "POSTed the job when it ends"},
}  # fmt: skip

SCHEMA = {
    "openapi": "3.1.0",
    "info": {"title": "audiogen", "version": "1",
             "description": "News articles into narrated, tagged MP3s and a podcast feed."},
    "components": {
        "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
            "Created": {"type": "object", "properties": {"id": {"type": "string"},
                                                         "url": {"type": "string"}}},
            "Job": {"type": "object", "properties": {
                "id": {"type": "string"},
                "status": {"enum": ["queued", "running", "done", "failed"]},
                "progress": {"type": "number", "minimum": 0, "maximum": 1},
                "error": _NULLABLE_STRING, "source": {"type": "string"},
                "created": {"type": "string", "format": "date-time"},
                "finished": _NULLABLE_STRING, "headline": _NULLABLE_STRING,
                "byline": _NULLABLE_STRING, "date": _NULLABLE_STRING,
                "publisher": _NULLABLE_STRING, "duration": {"type": ["number", "null"]},
                "mp3_url": _NULLABLE_STRING, "vtt_url": _NULLABLE_STRING,
                "srt_url": _NULLABLE_STRING, "chapters_url": _NULLABLE_STRING,
                "chapters": {"type": ["array", "null"], "items": {"type": "object", "properties": {
                    "title": {"type": "string"}, "start": {"type": "number"}}}},
                "feed_url": {"type": "string"},
            }},
        },
    },
    "paths": {
        "/api/articles": {
            "post": {
                "summary": "Convert an article (or several URLs): one job each",
                "security": [{"token": []}],
                "requestBody": {"content": {
                    "application/json": {"schema": {"type": "object",
                                                     "properties": _ARTICLE_FIELDS}},
                    "multipart/form-data": {"schema": {"type": "object", "properties": {
                        **_ARTICLE_FIELDS, "file": {"type": "string", "format": "binary"},
                        "urls": {"type": "string", "description": "one URL a line"}}}},
                }},
                "responses": {"202": {"description": "queued", "content": {"application/json": {
                    "schema": {"oneOf": [{"$ref": "#/components/schemas/Created"}, {
                        "type": "object", "properties": {"jobs": {"type": "array", "items": {
                            "$ref": "#/components/schemas/Created"}}}}]}}}},
                    "400": _ERROR, "401": _ERROR, "413": _ERROR, "415": _ERROR, "429": _ERROR},
            },
            "get": {
                "summary": "The jobs, newest first",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 20}},
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "default": 0}},
                ],
                "responses": {"200": {"description": "a page", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {
                        "items": {"type": "array", "items": _JOB_REF},
                        "total": {"type": "integer"}, "next": _NULLABLE_STRING}}}}}},
            },
        },
        "/api/articles/{id}": {
            "parameters": _ID,
            "get": {"summary": "One job", "responses": {"200": {"description": "the job",
                    "content": {"application/json": {"schema": _JOB_REF}}}, "404": _ERROR}},
            "delete": {"summary": "Forget a job, remove its files, cancel it",
                       "security": [{"token": []}],
                       "responses": {"204": {"description": "gone"}, "404": _ERROR}},
        },
        "/api/articles/{id}/events": {
            "parameters": _ID,
            "get": {"summary": "Server-sent events: the job whenever it changes, until it ends",
                    "responses": {"200": {"description": "text/event-stream of Job JSON"}}},
        },
        "/feed.xml": {"get": {"summary": "The podcast feed of the finished episodes",
                              "responses": {"200": {"description": "RSS 2.0"}}}},
        "/audio/{name}": {"get": {
            "summary": "An MP3, its captions (.vtt, .srt) or chapters (.chapters.json); Range",
            "parameters": [{"name": "name", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "the file"}, "206": {"description": "a range"},
                          "404": _ERROR}}},
        "/healthz": {"get": {"summary": "Up", "responses": {"200": {"description": "ok"}}}},
        **SPEECH_PATHS,
    },
}  # fmt: skip

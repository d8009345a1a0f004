"""`podgen lsp`: a Language Server Protocol server on stdin and stdout.

An editor's open documents are checked by validate's own code path as they are typed
(`diagnose`), and their fields explained and completed from the stored API documentation that
`podgen explain` prints (`fields`) or from podgen's own JSON Schemas for blueprints and
podgen.yaml. `text` holds a document and converts positions; `outline` finds where in the YAML
the cursor is; `server` speaks the protocol (pygls) and schedules the work.
"""

"""Personal data kept out of stored transcripts, chat history and logs: `shared.privacy.mask.mask(text)`.

Import the submodules: this package imports nothing, so installing the log filter at app import
compiles no pattern.
"""

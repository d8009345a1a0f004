"""`podgen explain`: kubectl explain's answers from the stored API documentation, offline.

The documentation of every supported release (descriptions kept, each text stored once across
releases) is read lazily, for the kind asked about; a CRD's openAPIV3Schema is turned into the
document the API server would publish for it; the renderers print what kubectl explain prints.
"""

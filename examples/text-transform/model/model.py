"""Text transform: each stage leaves a visible mark in the output, so tests can tell they all ran."""

import os


class Model:
    def __init__(self, **kwargs):
        self._config = kwargs["config"]
        self._greeting = None

    def load(self):
        self._greeting = os.environ.get("TEXT_TRANSFORM_GREETING", "")
        print(f"text-transform loaded ({self._greeting})")

    def preprocess(self, model_input):
        text = model_input.get("text") if isinstance(model_input, dict) else None
        if not isinstance(text, str):
            raise ValueError('expected a JSON object with a string field "text"')
        return {"text": " ".join(text.split())}

    def predict(self, model_input):
        text = model_input["text"]
        return {"text": text, "upper": text.upper(), "word_count": len(text.split())}

    def postprocess(self, model_output):
        return {**model_output, "postprocessed": True}

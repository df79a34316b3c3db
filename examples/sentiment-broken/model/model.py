"""Sentiment with a defect: after HEALTHY_REQUESTS good answers, every predict raises (HTTP 500)."""

import os
import threading

THRESHOLD = 0.05


class Model:
    def __init__(self, **kwargs):
        self._analyzer = None
        self._healthy_requests = int(os.environ.get("HEALTHY_REQUESTS", "0"))
        self._served = 0
        self._lock = threading.Lock()

    def load(self):
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()
        print("sentiment-broken: VADER lexicon loaded")

    def predict(self, model_input):
        with self._lock:
            self._served += 1
            served = self._served
        if served > self._healthy_requests:
            # The defect under test: a refactor dropped the lexicon lookup.
            raise KeyError("compound")
        score = self._analyzer.polarity_scores(model_input["text"])["compound"]
        label = "positive" if score >= THRESHOLD else "negative" if score <= -THRESHOLD else "neutral"
        return {"label": label, "score": score}

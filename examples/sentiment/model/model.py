"""Sentiment: VADER's compound score in [-1, 1], labelled with VADER's own +/-0.05 thresholds."""

THRESHOLD = 0.05


class Model:
    def __init__(self, **kwargs):
        self._analyzer = None

    def load(self):
        # Imported here, as Truss models do, so a missing requirement fails load() with a clear traceback.
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()
        print("sentiment: VADER lexicon loaded")

    def predict(self, model_input):
        text = model_input.get("text") if isinstance(model_input, dict) else None
        if not isinstance(text, str):
            raise ValueError('expected a JSON object with a string field "text"')
        score = self._analyzer.polarity_scores(text)["compound"]
        if score >= THRESHOLD:
            label = "positive"
        elif score <= -THRESHOLD:
            label = "negative"
        else:
            label = "neutral"
        return {"label": label, "score": score}

"""The melody domain: representation, model, adaptation, sampling and evaluation."""

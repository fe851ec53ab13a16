"""phasediag: exact phase diagrams of compressed sensing and phase retrieval with
multi-layer generative priors, from the state evolution of Bayes-optimal AMP."""

__version__ = "0.1.0"

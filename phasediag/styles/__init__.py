"""Matplotlib style sheets shipped with phasediag: plt.style.use("phasediag.styles.paper")."""

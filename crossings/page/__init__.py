"""What draws: Plotly figures (charts, maps), inert text, and the page's Streamlit caches (cache)."""

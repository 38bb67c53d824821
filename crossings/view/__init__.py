"""What a view computes, for any screen or route: filters, the view plan, indexes, card and table contents,
chart and map policy, and the store as a view reads it. No Streamlit, no Plotly."""

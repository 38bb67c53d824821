"""Border Crossing Status: the page (placeholder until the dashboard issue lands)."""

import streamlit as st

st.set_page_config(page_title="Border Crossing Status", layout="wide")
st.title("Border Crossing Status")
st.write("The dashboard is being built. Use `python -m crossings status` meanwhile.")

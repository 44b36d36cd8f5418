"""PLACEHOLDER while this page is being built (see the issue that fills it)."""
import streamlit as st

st.title("penghargaan")
st.info("Halaman ini sedang dibangun.")

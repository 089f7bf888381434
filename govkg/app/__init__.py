"""What the Streamlit app (app.py, pages/) needs besides Streamlit: language, store, search, uploads."""

"""The dashboard's pages, one module each: `show(package)` draws the page (settings → stats →
figure → display) and returns the `widgets.View` it shows.

Not named `pages/`: Streamlit would take that folder for its own multipage app. `app.py` routes.
"""

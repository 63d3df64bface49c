"""Small apps the deployment tests serve with real servers (uWSGI, gunicorn, ``microwsgi run``)."""

"""The parts of the Requests window (``ui/windows/requests_window.py``, the frame): what its rows say
(``columns``), the chosen request's pane (``case_pane``), the approvals tab (``approvals_tab``), and
its use cases: a request's own steps (``case_flows``) and what reaches the person's data, exporting and
erasing (``subject_flows``)."""

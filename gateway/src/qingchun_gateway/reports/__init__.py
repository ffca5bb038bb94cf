"""The community monthly report (月报): gathered from the four services, labelled for staff."""

-- An announcement's project (intake, 0031) must exist; projects are never deleted once announced.
ALTER TABLE announcements ADD CONSTRAINT announcements_project_fk FOREIGN KEY (project_id) REFERENCES projects(id);

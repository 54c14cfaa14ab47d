-- Daemons keep an index of open vacancies in memory for instant
-- recommendations; every change to a vacancy, whoever makes it (the API,
-- an import, an operator in psql), tells them which one to read again.
CREATE FUNCTION vacancies_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('kd_vacancy_changed',
			  CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END::text);
	RETURN NULL;
END
$$;
CREATE TRIGGER vacancies_changed AFTER INSERT OR UPDATE OR DELETE ON vacancies
	FOR EACH ROW EXECUTE FUNCTION vacancies_notify_changed();

-- The clear questionnaire and course columns that 0007_encrypt_assessments.sql
-- replaced. `Store::migrate` applies this only after it has sealed every row written
-- before 0007 into `assessments.result` and `courses.problem`.
ALTER TABLE assessments DROP COLUMN answers;
ALTER TABLE assessments DROP COLUMN total;
ALTER TABLE assessments DROP COLUMN band;
ALTER TABLE assessments DROP COLUMN flags;
ALTER TABLE courses DROP COLUMN problem_descriptor;

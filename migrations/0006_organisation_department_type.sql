-- Which kind of department an organisation is (公安, 市场监管 …), so the catalogue can match a
-- basic item's responsible department type to the organisations that implement it.
alter table organisation add column department_type text;
create index organisation_department_type on organisation (region_code, department_type);

// The application-form building block of the case workflow: render a JSON-Schema form with
// pre-fill provenance, parse a posted body into typed answers, validate with Chinese messages.
export { renderForm, formFields, FORM_FIELDS_VIEW, SOURCE_LABELS, REQUIRED_MARK, type RenderFormInput, type Provenance, type ProvenanceSource, type FieldView } from './render.ts';
export { parseForm, type FormBody, type ParseOptions } from './parse.ts';
export { validateAnswers, validatorFor, FORM_FIELD } from './validate.ts';

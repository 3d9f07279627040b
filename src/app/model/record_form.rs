//! What the forms over the panes that keep a record right (a customer, an organization, an
//! agent) share: one-line fields and a last one of several lines, the text each had when the
//! form opened, which of them the agent changed, and taking someone else's changes meanwhile.

use ratatui_textarea::TextArea;
use tui_input::Input;

/// The fields of one kind of record, in the order Tab visits them; the last may be of several lines.
pub trait RecordField: Copy + PartialEq + 'static {
    const ORDER: &'static [Self];
    fn label(self) -> &'static str;
    /// A line under the form while the field is focused; empty for none.
    fn hint(self) -> &'static str {
        ""
    }
    fn multiline(self) -> bool {
        false
    }
}

/// A field's text as the agent edits it.
#[derive(Debug)]
pub enum FieldText {
    Line(Input),
    Lines(Box<TextArea<'static>>),
}

impl FieldText {
    fn new(multiline: bool, text: &str) -> FieldText {
        match multiline {
            true => FieldText::Lines(Box::new(TextArea::from(text.lines().map(str::to_string)))),
            false => FieldText::Line(Input::new(text.to_string())),
        }
    }

    pub fn text(&self) -> String {
        match self {
            FieldText::Line(input) => input.value().to_string(),
            FieldText::Lines(area) => area.lines().join("\n").trim_end().to_string(),
        }
    }
}

#[derive(Debug)]
pub struct RecordForm<F: RecordField> {
    pub field: F,
    texts: Vec<FieldText>,
    /// Each field's text when the form opened (or when a refused save last found the record).
    seen: Vec<String>,
    /// Esc on a changed form asks first: y throws the changes away, any other key goes back.
    pub confirm_discard: bool,
    /// Sent to the store; the form closes when saved and stays when not.
    pub saving: bool,
}

impl<F: RecordField> RecordForm<F> {
    /// A form showing `text(field)` in each field.
    pub fn new(text: impl Fn(F) -> String) -> RecordForm<F> {
        let seen: Vec<String> = F::ORDER.iter().map(|f| text(*f)).collect();
        RecordForm {
            field: F::ORDER[0],
            texts: F::ORDER.iter().zip(&seen).map(|(f, t)| FieldText::new(f.multiline(), t)).collect(),
            seen,
            confirm_discard: false,
            saving: false,
        }
    }

    fn at(field: F) -> usize {
        F::ORDER.iter().position(|f| *f == field).unwrap_or(0)
    }

    pub fn text_of(&self, field: F) -> &FieldText {
        &self.texts[Self::at(field)]
    }

    pub fn text_of_mut(&mut self, field: F) -> &mut FieldText {
        &mut self.texts[Self::at(field)]
    }

    /// The field's text as typed (trimmed at the end for a field of several lines).
    pub fn value(&self, field: F) -> String {
        self.text_of(field).text()
    }

    /// Replace the field's text.
    pub fn set(&mut self, field: F, text: &str) {
        self.texts[Self::at(field)] = FieldText::new(field.multiline(), text);
    }

    /// The field's text when the form opened.
    pub fn seen_value(&self, field: F) -> &str {
        &self.seen[Self::at(field)]
    }

    pub fn step(&mut self, delta: isize) {
        let len = F::ORDER.len() as isize;
        self.field = F::ORDER[(Self::at(self.field) as isize + delta).rem_euclid(len) as usize];
    }

    /// The fields whose text differs from what was seen: for one line, in its words (spaces and
    /// commas between them); for several lines, in the text.
    pub fn changed_fields(&self) -> Vec<F> {
        let differs = |f: &F| {
            let (mine, seen) = (self.value(*f), self.seen_value(*f));
            match f.multiline() {
                true => mine != seen.trim_end(),
                false => words(&mine) != words(seen),
            }
        };
        F::ORDER.iter().copied().filter(differs).collect()
    }

    /// Someone changed the record meanwhile: the fields the agent left alone take `now`'s text,
    /// the agent's changes stay, to be saved over `now` next time.
    pub fn rebase(&mut self, now: impl Fn(F) -> String) {
        let mine = self.changed_fields();
        for field in F::ORDER.iter().copied() {
            let text = now(field);
            if !mine.contains(&field) {
                self.set(field, &text);
            }
            self.seen[Self::at(field)] = text;
        }
        self.saving = false;
    }
}

/// Space- or comma-separated words.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Field {
        Name,
        Tags,
        Notes,
    }

    impl RecordField for Field {
        const ORDER: &'static [Field] = &[Field::Name, Field::Tags, Field::Notes];
        fn label(self) -> &'static str {
            "x"
        }
        fn multiline(self) -> bool {
            self == Field::Notes
        }
    }

    fn seen(f: Field) -> String {
        match f {
            Field::Name => "Carla".into(),
            Field::Tags => "vip billing".into(),
            Field::Notes => "one\ntwo".into(),
        }
    }

    #[test]
    fn only_a_change_of_words_or_text_counts_and_a_rebase_keeps_the_agents_changes() {
        let mut form = RecordForm::new(seen);
        form.set(Field::Tags, "vip,  billing");
        assert_eq!(form.changed_fields(), vec![]);
        form.set(Field::Notes, "one\ntwo\nthree");
        form.step(-1);
        assert_eq!((form.changed_fields(), form.field), (vec![Field::Notes], Field::Notes));
        form.rebase(|f| if f == Field::Name { "Carla N.".into() } else { seen(f) });
        assert_eq!((form.value(Field::Name), form.value(Field::Notes)), ("Carla N.".into(), "one\ntwo\nthree".into()));
        assert_eq!(form.changed_fields(), vec![Field::Notes]);
    }
}

//! Plausible review prose: a small world per state (its name, cities, laws and
//! institutions) and sentences about criminal justice built from it. The words are
//! English; the point is realistic sizes, shapes and Markdown, not meaning.

use crate::rng::Rng;

const SYLLABLES: &[&str] = &[
    "val", "mor", "ar", "ken", "dri", "sel", "tor", "lan", "bri", "os", "ta", "ne", "ri", "ca",
    "lum", "ver", "dal", "or", "mir", "esh", "fen", "gar", "hol", "is", "jor", "kel", "nar", "pel",
    "quin", "ros", "sul", "tam", "ul", "vin", "wes", "zor",
];
const STATE_ENDINGS: &[&str] = &["ia", "a", "ovia", "ania", "land", "ora", "esia"];
const CITY_FORMS: &[&str] = &[
    "Port {}", "{} Bay", "{}ford", "{}ton", "New {}", "{}mouth", "{}burg", "San {}",
];

const LAW_TOPICS: &[&str] = &[
    "Organized Crime",
    "Proceeds of Crime",
    "Anti-Money Laundering",
    "Trafficking in Persons",
    "Migration and Asylum",
    "Firearms and Ammunition",
    "Mutual Legal Assistance in Criminal Matters",
    "Witness Protection",
    "Extradition",
    "Anti-Corruption",
    "Cybercrime",
    "Victims' Rights",
    "Border Security",
    "Customs",
    "Special Investigative Techniques",
    "Asset Recovery",
];
const INSTITUTIONS: &[&str] = &[
    "Ministry of Justice",
    "Ministry of the Interior",
    "Office of the Prosecutor-General",
    "National Police",
    "Financial Intelligence Unit",
    "Border Guard",
    "Customs Service",
    "Supreme Court",
    "Court of Appeal",
    "Ministry of Social Welfare",
    "Labour Inspectorate",
    "Coast Guard",
    "National Referral Mechanism",
    "Central Authority for Mutual Legal Assistance",
    "Asset Recovery Office",
    "Witness Protection Unit",
    "National Statistics Office",
    "Judicial Training Institute",
    "Firearms Registry",
    "Anti-Corruption Commission",
];
const CONDUCTS: &[&str] = &[
    "participation in an organized criminal group",
    "the laundering of proceeds of crime",
    "obstruction of justice",
    "trafficking in persons for forced labour",
    "trafficking in persons for sexual exploitation",
    "the smuggling of migrants by sea",
    "the smuggling of migrants by land",
    "the illicit manufacturing of firearms",
    "illicit trafficking in firearms, their parts and ammunition",
    "bribery of public officials",
    "the falsification of travel documents",
    "enabling a person to remain illegally",
    "the removal of markings from firearms",
    "conspiracy to commit a serious offence",
];
const TOPICS: &[&str] = &[
    "digital evidence",
    "asset recovery",
    "victim identification",
    "joint investigation teams",
    "controlled deliveries",
    "the marking of firearms",
    "document security",
    "witness protection",
    "special investigative techniques",
    "beneficial ownership",
    "international cooperation",
    "data collection",
    "the non-punishment of victims",
    "financial investigations",
    "the tracing of firearms",
    "return and readmission",
    "maritime interdiction",
    "the confiscation of instrumentalities",
    "undercover operations",
    "the protection of smuggled migrants",
    "extradition of nationals",
    "electronic surveillance",
    "the liability of legal persons",
];
const ACTIONS: &[&str] = &[
    "freeze assets without prior notice to the owner",
    "order the interception of communications",
    "grant temporary residence to victims",
    "refuse a request that concerns a political offence",
    "transfer criminal proceedings to another State",
    "use undercover officers with judicial authorization",
    "share financial intelligence spontaneously",
    "seize vessels flying its flag on the high seas",
    "deactivate seized firearms before disposal",
    "hear witnesses by videoconference",
];
const GROUPS: &[&str] = &[
    "domestic workers",
    "fishers on distant-water vessels",
    "unaccompanied children",
    "seasonal farm workers",
    "migrants rescued at sea",
    "victims with disabilities",
    "small firearms dealers",
    "regional prosecutors",
    "defence lawyers",
    "labour inspectors",
];
const COURTS: &[&str] = &[
    "Supreme Court",
    "Court of Appeal",
    "High Court",
    "District Court",
    "Criminal Court of First Instance",
];
const SURNAMES: &[&str] = &[
    "Dalan",
    "Marrow",
    "Okafor",
    "Lindqvist",
    "Haddad",
    "Moreau",
    "Petrova",
    "Santos",
    "Chen",
    "Kowalski",
    "Mensah",
    "Rahman",
    "Ivanova",
    "Garcia",
    "Nakamura",
    "Ardent",
    "Vance",
    "Solberg",
];
const GIVEN: &[&str] = &[
    "Selma", "Tomas", "Amina", "Yusuf", "Ines", "Kofi", "Marta", "Jonas", "Leila", "Pavel", "Rosa",
    "Malik", "Hana", "Diego", "Nadia", "Oskar", "Farah", "Mateo",
];

/// The names a state's files talk about.
#[derive(Debug, Clone)]
pub struct World {
    pub code: String,
    pub name: String,
    pub domain: String,
    pub cities: Vec<String>,
    /// (title, year)
    pub laws: Vec<(String, u32)>,
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

pub fn word(rng: &mut Rng, syllables: usize) -> String {
    (0..syllables).map(|_| *rng.pick(SYLLABLES)).collect()
}

impl World {
    pub fn new(rng: &mut Rng, code: &str) -> World {
        let syllables = rng.range(2, 3);
        let stem = word(rng, syllables);
        let name = capitalize(&format!("{stem}{}", rng.pick(STATE_ENDINGS)));
        let cities = (0..4)
            .map(|_| {
                rng.pick(CITY_FORMS)
                    .replace("{}", &capitalize(&word(rng, 2)))
            })
            .collect();
        let mut topics: Vec<&str> = LAW_TOPICS.to_vec();
        rng.shuffle(&mut topics);
        let mut laws: Vec<(String, u32)> = topics[..8]
            .iter()
            .map(|t| (format!("{t} Act"), rng.range(1995, 2024) as u32))
            .collect();
        laws.push(("Penal Code".into(), rng.range(1960, 2015) as u32));
        laws.push((
            "Criminal Procedure Code".into(),
            rng.range(1970, 2020) as u32,
        ));
        World {
            code: code.to_string(),
            domain: format!("{}.example", stem.to_lowercase()),
            name,
            cities,
            laws,
        }
    }

    pub fn law(&self, rng: &mut Rng) -> String {
        let (title, year) = rng.pick(&self.laws);
        if title.ends_with("Code") {
            format!("{} {title}", self.name)
        } else {
            format!("{title} {year}")
        }
    }

    pub fn city(&self, rng: &mut Rng) -> String {
        rng.pick(&self.cities).clone()
    }

    pub fn person(&self, rng: &mut Rng) -> String {
        format!("{} {}", rng.pick(GIVEN), rng.pick(SURNAMES))
    }

    pub fn institution(&self, rng: &mut Rng) -> String {
        rng.pick(INSTITUTIONS).to_string()
    }

    pub fn url(&self, rng: &mut Rng, section: &str) -> String {
        format!(
            "https://{section}.{}/{}-{}",
            self.domain,
            word(rng, 2),
            rng.range(1, 999)
        )
    }

    pub fn provision(&self, rng: &mut Rng) -> String {
        match rng.below(3) {
            0 => format!("s. {}", rng.range(1, 90)),
            1 => format!("art. {}({})", rng.range(1, 400), rng.range(1, 6)),
            _ => format!("arts. {}-{}", rng.range(10, 50), rng.range(51, 90)),
        }
    }

    pub fn case_title(&self, rng: &mut Rng) -> String {
        match rng.below(3) {
            0 => format!("Prosecutor v. {}", rng.pick(SURNAMES)),
            1 => format!("Prosecutor v. {} and others", rng.pick(SURNAMES)),
            _ => format!("State v. {}", rng.pick(SURNAMES)),
        }
    }

    pub fn court(&self, rng: &mut Rng) -> String {
        format!("{} of {}", rng.pick(COURTS), self.name)
    }

    /// One sentence from the government's point of view.
    pub fn government_sentence(&self, rng: &mut Rng) -> String {
        let y = rng.range(2012, 2025);
        let n = rng.range(3, 240);
        match rng.below(14) {
            0 => format!("The {} criminalizes {}, punishable by imprisonment of up to {} years.", self.law(rng), rng.pick(CONDUCTS), rng.range(4, 20)),
            1 => format!("Under {} of the {}, the {} may {}.", self.provision(rng), self.law(rng), self.institution(rng), rng.pick(ACTIONS)),
            2 => format!("In {y}, the {} opened {n} investigations and {} cases reached the courts.", self.institution(rng), n / 2 + 1),
            3 => format!("The {} published guidelines on {} in {y}, which prosecutors apply in every region.", self.institution(rng), rng.pick(TOPICS)),
            4 => "Courts assess evidence freely and regularly infer knowledge and intent from objective circumstances such as coded communications and shared finances.".to_string(),
            5 => format!("A working group led by the {} is reviewing {} and expects to report in {}.", self.institution(rng), rng.pick(TOPICS), y + 2),
            6 => format!("Training on {} reached {n} officials between {y} and {}.", rng.pick(TOPICS), y + rng.range(1, 3)),
            7 => format!("Figures come from the case-management system of the {} and are counted by case, not by person.", self.institution(rng)),
            8 => format!("No amendment is planned, since the {} already covers {}.", self.law(rng), rng.pick(CONDUCTS)),
            9 => format!("Cooperation with the authorities of neighbouring States on {} relies on bilateral agreements concluded in {y}.", rng.pick(TOPICS)),
            10 => format!("The {} and the {} signed a memorandum of understanding on {} in {y}.", self.institution(rng), self.institution(rng), rng.pick(TOPICS)),
            11 => format!("Regional offices in {} and {} handle most cases involving {}.", self.city(rng), self.city(rng), rng.pick(CONDUCTS)),
            12 => format!("The {} amended the rules on {} in {y} after a review by the {}.", self.law(rng), rng.pick(TOPICS), self.institution(rng)),
            _ => format!("Of the {n} requests received in {y}, {} were executed within six months.", n * 2 / 3),
        }
    }

    /// One sentence from a stakeholder's point of view.
    pub fn stakeholder_sentence(&self, rng: &mut Rng) -> String {
        let y = rng.range(2018, 2025);
        let n = rng.range(5, 120);
        match rng.below(10) {
            0 => format!("Our monitoring in {} between {y} and {} found that {} rarely reach a prosecutor.", self.city(rng), y + 1, rng.pick(GROUPS)),
            1 => format!("In {} of the {n} cases we followed, the {} did not apply the rules on {}.", n / 3 + 1, self.institution(rng), rng.pick(TOPICS)),
            2 => format!("The figures in the response do not distinguish {} from {}, so the trend cannot be assessed.", rng.pick(CONDUCTS), rng.pick(CONDUCTS)),
            3 => format!("We welcome the work of the {} on {}, but it has not yet reached {}.", self.institution(rng), rng.pick(TOPICS), rng.pick(GROUPS)),
            4 => format!("Practitioners we interviewed in {} report that guidance on {} is applied unevenly.", self.city(rng), rng.pick(TOPICS)),
            5 => format!("Since {y} the budget for {} has not been indexed, so the services described are shrinking in real terms.", rng.pick(TOPICS)),
            6 => format!("The {} is applied in practice as the response describes, and courts in {} follow it consistently.", self.law(rng), self.city(rng)),
            7 => format!("Our data for {y} show {n} cases involving {}, more than twice the official figure.", rng.pick(GROUPS)),
            8 => format!("Access to interpreters remains the main obstacle for {} in proceedings before the {}.", rng.pick(GROUPS), self.court(rng)),
            _ => format!("We recommend that the {} publish its statistics on {} every year, broken down by sex and age.", self.institution(rng), rng.pick(CONDUCTS)),
        }
    }

    pub fn recommendation(&self, rng: &mut Rng) -> String {
        match rng.below(5) {
            0 => format!(
                "Publish yearly statistics on {}, broken down by sex, age and nationality.",
                rng.pick(CONDUCTS)
            ),
            1 => format!(
                "Fund training on {} for {} in every region by {}.",
                rng.pick(TOPICS),
                rng.pick(GROUPS),
                rng.range(2026, 2029)
            ),
            2 => format!(
                "Amend the {} so that it expressly covers {}.",
                self.law(rng),
                rng.pick(CONDUCTS)
            ),
            3 => format!(
                "Give the {} the staff and budget it needs for {}.",
                self.institution(rng),
                rng.pick(TOPICS)
            ),
            _ => format!(
                "Consult organizations working with {} before the next reform of the rules on {}.",
                rng.pick(GROUPS),
                rng.pick(TOPICS)
            ),
        }
    }

    /// Markdown prose: paragraphs of sentences, now and then emphasis, a link or a list.
    pub fn prose(&self, rng: &mut Rng, paragraphs: usize, stakeholder: bool) -> String {
        let mut out: Vec<String> = Vec::new();
        for p in 0..paragraphs {
            if p > 0 && rng.chance(0.15) {
                let items = (0..rng.range(2, 4))
                    .map(|_| format!("- {}", self.sentence(rng, stakeholder)))
                    .collect::<Vec<_>>()
                    .join("\n");
                out.push(items);
                continue;
            }
            let mut sentences: Vec<String> = (0..rng.range(2, 4))
                .map(|_| self.sentence(rng, stakeholder))
                .collect();
            if rng.chance(0.2) {
                let i = rng.below(sentences.len());
                sentences[i] = format!(
                    "See [the {} report]({}) for details.",
                    rng.range(2019, 2025),
                    self.url(rng, "reports")
                );
            }
            if rng.chance(0.15) {
                sentences.push(format!(
                    "This applies **in every region**, including {}.",
                    self.city(rng)
                ));
            }
            out.push(sentences.join(" "));
        }
        out.join("\n\n")
    }

    fn sentence(&self, rng: &mut Rng, stakeholder: bool) -> String {
        if stakeholder {
            self.stakeholder_sentence(rng)
        } else {
            self.government_sentence(rng)
        }
    }

    /// A one-line text of a few sentences (excerpts, summaries, details).
    pub fn line(&self, rng: &mut Rng, sentences: usize) -> String {
        (0..sentences)
            .map(|_| self.government_sentence(rng))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A contributor of `kind`: (name, slug).
    pub fn organization(&self, rng: &mut Rng, kind: &str) -> String {
        let place = self.city(rng);
        match kind {
            "ngo" => match rng.below(4) {
                0 => format!("{place} Centre for Migrant Rights"),
                1 => format!(
                    "Observatory on {}",
                    capitalize(TOPICS[rng.below(TOPICS.len())])
                ),
                2 => format!("{} Legal Aid Network", capitalize(&word(rng, 2))),
                _ => format!("{place} Shelter Coalition"),
            },
            "academia" => match rng.below(3) {
                0 => format!("University of {place}, Faculty of Law"),
                1 => format!(
                    "Institute for {} Studies",
                    capitalize(TOPICS[rng.below(TOPICS.len())])
                ),
                _ => format!("{} Criminology Research Group", capitalize(&word(rng, 2))),
            },
            "private_sector" => match rng.below(3) {
                0 => format!("{place} Shipping Association"),
                1 => format!("{} Bankers' Federation", self.name),
                _ => format!("{} Seafood Exporters", capitalize(&word(rng, 2))),
            },
            _ => match rng.below(2) {
                0 => format!("{} Bar Association", self.name),
                _ => format!("Journalists' Safety Circle of {place}"),
            },
        }
    }
}

pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Wraps one paragraph (or keeps a list item whole) at about `width` columns.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        if paragraph.is_empty() {
            lines.push(String::new());
            continue;
        }
        if paragraph.starts_with("- ") {
            lines.push(paragraph.to_string());
            continue;
        }
        let mut line = String::new();
        for word in paragraph.split(' ') {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

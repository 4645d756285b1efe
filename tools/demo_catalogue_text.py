"""Hand-written vocabulary for the fictional demo catalogue (used by generate_demo_catalogue.py).

Every name here is invented for the demo; any resemblance to a real business is unintended.
"""

from __future__ import annotations

# fmt: off
# (Data tables: kept compact on purpose; the formatter would put every word on its own line.)

NOTICE_ORG = ("(Organisme fictif — données de démonstration)",
              "(Fictional organisation — demo data)")
NOTICE_SERVICE = ("(Service fictif — données de démonstration)", "(Fictional service — demo data)")

BRANDS = [
    "Le Phare", "La Boussole", "L'Envol", "Le Rivage", "La Passerelle", "L'Éclaircie", "Le Sillage",
    "L'Ancrage", "La Lueur", "L'Aurore", "Le Sentier", "Le Havre", "La Mésange", "Le Héron",
    "L'Outarde", "Le Bouleau", "Le Cèdre", "La Pivoine", "Le Tournesol", "Le Coquelicot", "L'Alizé",
    "La Brise", "Le Quai", "Le Tisserand", "La Courtepointe", "Le Fanal", "La Balise", "L'Escale",
    "Le Relais", "La Clairière", "Le Ruisseau", "L'Érablière", "Le Grand-Pic", "La Marée",
    "Le Goéland", "L'Hirondelle", "Le Carouge", "La Sarcelle", "Le Castor", "La Loutre", "Le Lynx",
    "Le Harfang", "La Bernache", "Le Pluvier", "La Chicoutai", "L'Amélanchier", "Le Bleuet",
    "La Camarine", "La Quenouille", "Le Nénuphar", "L'Épinette", "Le Mélèze", "La Fougère",
    "Le Trille", "La Sanguinaire", "Le Cornouiller", "L'Aubépine", "Le Sureau", "Les Deux Rives",
    "Les Trois Sources", "Le Point du Jour", "Les Rameaux", "Le Nordet", "Le Suroît", "La Batture",
    "L'Anse bleue", "Le Cap-Lumière", "La Colline verte", "Le Jardin d'hiver", "La Croisée",
    "Le Tremplin", "La Traversée", "Le Fil d'Ariane", "La Source vive", "Le Pont de bois",
    "La Lanterne", "L'Arc-en-ciel", "Le Vent du large", "La Rosée", "Le Carrefour des saisons",
]

SURNAMES = [
    "Tremblay", "Gagnon", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Ouellet",
    "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Paquette", "Girard", "Simard", "Caron",
    "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc", "Poulin",
    "Thibault", "Nadeau", "Landry", "Martel", "Bédard", "Grenier", "Lessard", "Bernier", "Michaud",
    "Hébert", "Couture", "Turcotte", "Lachance", "Blais", "Gosselin", "Savard", "Proulx",
    "Beaudoin", "Demers", "Perron", "Boudreau", "Nguyen", "Haddad", "Pierre-Louis", "Da Silva",
    "Karimi", "Petrova", "Mendoza", "Diallo", "Ben Salah", "Chen", "O'Brien", "McKenzie",
]

STREETS = [
    "rue des Lucioles", "rue du Héron-Bleu", "avenue des Trembles", "rue de la Courtepointe",
    "boulevard des Outardes", "rue des Quatre-Vents", "chemin du Rang-Double", "rue des Tisserands",
    "avenue de la Batture", "rue du Fanal", "rue des Chicoutais", "montée des Érables-Rouges",
    "rue de l'Anse-Bleue", "rue des Amélanchiers", "avenue du Point-du-Jour", "rue des Pluviers",
    "rue de la Croisée", "boulevard du Vent-du-Large", "rue des Sarcelles", "rue du Grand-Pic",
]

# Area codes per region, for fictional 555-01xx numbers.
AREA_CODES = {
    "01": "418", "02": "418", "03": "418", "04": "819", "05": "819", "06": "514", "07": "819",
    "08": "819", "09": "418", "10": "819", "11": "418", "12": "418", "13": "450", "14": "450",
    "15": "450", "16": "450", "17": "819", "QC": "1-888",
}
POSTAL_LETTER = {
    "01": "G", "02": "G", "03": "G", "04": "G", "05": "J", "06": "H", "07": "J", "08": "J",
    "09": "G", "10": "J", "11": "G", "12": "G", "13": "H", "14": "J", "15": "J", "16": "J",
    "17": "J",
}

NEIGHBOURS = {
    "01": ["11", "12"], "02": ["03", "04", "09", "10"], "03": ["02", "04", "12"],
    "04": ["03", "14", "17"], "05": ["12", "16", "17"], "06": ["13", "16", "14", "15"],
    "07": ["08", "15"], "08": ["07", "10"], "09": ["02", "03"], "10": ["02", "08"],
    "11": ["01"], "12": ["03", "05", "17"], "13": ["06", "14", "15"], "14": ["06", "13", "15"],
    "15": ["07", "13", "14"], "16": ["05", "06", "17"], "17": ["04", "05", "16"],
}

COSTS = {
    "free": ("Gratuit.", "Free."),
    "sliding": (
        "Tarif selon le revenu, de 0 $ à 60 $ la séance.",
        "Sliding scale by income, $0 to $60 per session.",
    ),
    "reduced": (
        "Tarif solidaire : 50 % du prix courant pour les personnes référées.",
        "Solidarity rate: 50% of the regular price for referred people.",
    ),
    "first_free": (
        "Première consultation gratuite, ensuite tarif réduit.",
        "First consultation free, reduced rate afterwards.",
    ),
    "ramq": (
        "Couvert par la RAMQ; aucuns frais au premier rendez-vous pour une personne sans carte.",
        "Covered by RAMQ; no fee at the first visit for a person without a card.",
    ),
    "voucher": (
        "Bons remis par l'organisme référent, sans frais pour la personne.",
        "Vouchers given by the referring organisation, at no cost to the person.",
    ),
    "regular": (
        "Tarif courant; entente de paiement possible.",
        "Regular price; payment plan available.",
    ),
}
FREE_COSTS = {"free", "sliding", "reduced", "first_free", "ramq", "voucher"}

# Weekly hours: (ISO weekdays, opens, closes) periods.
HOURS = {
    "office": [((1, 2, 3, 4, 5), "09:00", "17:00")],
    "office_lunch": [((1, 2, 3, 4, 5), "08:30", "12:00"), ((1, 2, 3, 4, 5), "13:00", "16:30")],
    "evening": [((1, 2, 3, 4), "12:00", "20:00"), ((5,), "09:00", "17:00")],
    "retail": [((1, 2, 3), "09:00", "18:00"), ((4, 5), "09:00", "21:00"), ((6,), "09:00", "17:00"),
               ((7,), "10:00", "17:00")],
    "salon": [((2, 3, 4, 5, 6), "10:00", "18:00")],
    "clinic": [((1, 2, 3, 4, 5), "08:00", "20:00"), ((6, 7), "09:00", "13:00")],
    "daily": [((1, 2, 3, 4, 5, 6, 7), "08:00", "16:00")],
    "restaurant": [((1, 2, 3, 4, 5, 6, 7), "11:00", "22:00")],
    "gym": [((1, 2, 3, 4, 5), "06:00", "22:00"), ((6, 7), "08:00", "18:00")],
    "always": [],
}

APPROACH = [
    ("Aucune question intrusive : la personne raconte seulement ce qu'elle veut.",
     "No intrusive questions: the person shares only what she wishes."),
    ("Le rythme de la personne est respecté, sans condition infantilisante.",
     "The person's pace is respected, with no infantilising conditions."),
    ("Confidentialité assurée; aucune pièce d'identité exigée au premier contact.",
     "Confidential; no ID required at first contact."),
    ("L'équipe reçoit l'information de la référence avant le rendez-vous, pour éviter de tout "
     "raconter à nouveau.",
     "The team reads the referral before the appointment, so nobody has to retell her story."),
    ("Accueil sans jugement, quelle que soit la situation de la personne.",
     "A welcome without judgement, whatever the person's situation."),
]
TRAINED = (
    "L'équipe a suivi les formations Côte-à-Côte.",
    "The team has completed the Côte-à-Côte training.",
)
ACCOMPANIMENT = (
    "L'intervenante peut accompagner la personne.",
    "The intervenante is welcome to come along.",
)

# Per sector: organisation name patterns (French; {brand}, {surname}, {surname2}, {place}),
# an English kind for alternate names, a French phrase for descriptions, and service templates.
SECTORS: dict[str, dict] = {}


def _s(fr, en, needs, what_fr, what_en, cost="sliding", hours="office", access=(), **extra):
    return dict(fr=fr, en=en, needs=list(needs), what_fr=what_fr, what_en=what_en, cost=cost,
                hours=hours, access=list(access), **extra)


SECTORS["sector.psychotherapy"] = dict(
    names=["Clinique de psychothérapie {brand}", "Centre de relation d'aide {brand}",
           "{surname} Psychothérapie"],
    kind_en="psychotherapy clinic",
    phrase=("une clinique de psychothérapie et de relation d'aide",
            "a psychotherapy and helping-relationship clinic"),
    services=[
        _s("Psychothérapie individuelle tenant compte des traumas",
           "Trauma-informed individual psychotherapy",
           ["need.mental_health.psychotherapy"],
           "Des séances individuelles avec une psychothérapeute qui connaît les réalités de "
           "l'exploitation sexuelle et de la traite.",
           "One-to-one sessions with a psychotherapist who knows the realities of sexual "
           "exploitation and trafficking.", cost="sliding", hours="evening",
           access=["access.accompaniment_welcome"]),
        _s("Consultation en sexologie", "Sexology consultation", ["need.mental_health.sexology"],
           "Un espace pour parler de sexualité, de consentement et de rapport au corps, à son "
           "rythme.",
           "A space to talk about sexuality, consent and one's relationship to the body, at "
           "one's own pace.", cost="first_free", hours="office"),
        _s("Suivi psychosocial", "Psychosocial follow-up", ["need.mental_health.social_work"],
           "Une travailleuse sociale aide à faire le point, à organiser les démarches et à "
           "retrouver du pouvoir sur sa vie.",
           "A social worker helps take stock, organise the next steps and regain control over "
           "one's life.", cost="free", hours="office_lunch"),
        _s("Groupe de soutien entre pairs", "Peer support group",
           ["need.peer_support", "need.mental_health"],
           "Des rencontres de groupe animées avec des paires qui ont vécu des situations "
           "semblables.",
           "Group meetings facilitated with peers who went through similar situations.",
           cost="free", hours="evening"),
    ],
)
SECTORS["sector.medical_clinics"] = dict(
    names=["Clinique médicale {brand}", "Centre dentaire {brand}",
           "Clinique de santé des femmes {brand}", "Polyclinique {brand}"],
    kind_en="medical clinic",
    phrase=("une clinique médicale", "a medical clinic"),
    services=[
        _s("Clinique sans rendez-vous accueillante", "Welcoming walk-in clinic",
           ["need.physical_health.medical"],
           "Des consultations médicales sans rendez-vous, avec un accès rapide pour les personnes "
           "référées.",
           "Walk-in medical consultations with fast access for referred people.",
           cost="ramq", hours="clinic", access=["access.fast_track"]),
        _s("Soins dentaires d'urgence", "Emergency dental care", ["need.physical_health.dental"],
           "Soulagement de la douleur, extractions et réparations, sans questions sur l'origine "
           "des blessures.",
           "Pain relief, extractions and repairs, with no questions about the cause of injuries.",
           cost="reduced", hours="office"),
        _s("Santé sexuelle et gynécologie", "Sexual health and gynaecology",
           ["need.physical_health.gynaecology"],
           "Contraception, dépistage des ITSS, suivi de grossesse et interruption volontaire de "
           "grossesse, dans le respect et la confidentialité.",
           "Contraception, STBBI testing, pregnancy follow-up and abortion care, with respect "
           "and confidentiality.", cost="ramq", hours="office_lunch",
           populations=["population.women", "population.trans_nonbinary"]),
        _s("Imagerie médicale prioritaire", "Priority medical imaging",
           ["need.physical_health.medical"],
           "Radiographies et échographies avec des plages réservées aux personnes référées.",
           "X-rays and ultrasounds with time slots kept for referred people.",
           cost="ramq", hours="clinic", access=["access.fast_track"]),
    ],
)
SECTORS["sector.lawyers"] = dict(
    names=["{surname} & {surname2}, avocates", "Cabinet juridique {brand}", "{surname} Avocats"],
    kind_en="law firm",
    phrase=("un cabinet d'avocates et d'avocats", "a law firm"),
    services=[
        _s("Consultation juridique gratuite", "Free legal consultation", ["need.legal.lawyer"],
           "Une première rencontre pour comprendre ses droits : logement, famille, dettes, "
           "dossiers criminels liés à l'exploitation.",
           "A first meeting to understand one's rights: housing, family, debts, criminal records "
           "linked to exploitation.", cost="free", hours="office"),
        _s("Accompagnement à la cour", "Court accompaniment",
           ["need.legal.court_accompaniment"],
           "Préparation au témoignage et présence au palais de justice aux côtés de la personne.",
           "Preparing to testify and being at the courthouse alongside the person.",
           cost="free", hours="office", access=["access.accompaniment_welcome", "access.mobile"]),
        _s("Droit de l'immigration et régularisation du statut",
           "Immigration law and status regularisation", ["need.legal.immigration"],
           "Conseils sur le permis de séjour temporaire pour les victimes de traite, l'asile et "
           "le parrainage.",
           "Advice on temporary resident permits for trafficking victims, asylum and "
           "sponsorship.", cost="first_free", hours="office",
           populations=["population.immigrant_racialized", "population.no_legal_status"]),
        _s("Droit de la famille", "Family law", ["need.legal.lawyer"],
           "Garde d'enfants, séparation et ordonnances de protection, avec mandats d'aide "
           "juridique acceptés.",
           "Child custody, separation and protection orders; legal aid mandates accepted.",
           cost="sliding", hours="office"),
    ],
)
SECTORS["sector.employment"] = dict(
    names=["Agence de placement {brand}", "Carrefour carrière {brand}",
           "Services d'orientation {brand}"],
    kind_en="employment agency",
    phrase=("une agence de placement et d'orientation", "an employment and career agency"),
    services=[
        _s("Orientation de carrière", "Career guidance", ["need.employment"],
           "Bilan des forces, exploration des métiers et plan d'action, sans exiger de CV.",
           "Strengths review, career exploration and an action plan, no résumé required.",
           cost="free", hours="office"),
        _s("Placement et stages rémunérés", "Job placement and paid internships",
           ["need.employment"],
           "Des employeurs partenaires formés offrent des postes avec un horaire adapté.",
           "Trained partner employers offer jobs with adapted schedules.",
           cost="free", hours="office_lunch"),
        _s("Ateliers de préparation à l'emploi", "Job readiness workshops",
           ["need.employment", "need.education"],
           "Ateliers en petit groupe : entrevue, droits au travail, gestion du stress.",
           "Small-group workshops: interviews, rights at work, stress management.",
           cost="free", hours="evening"),
    ],
)
SECTORS["sector.hotels"] = dict(
    names=["Hôtel {brand}", "Auberge {brand}", "Appartements-hôtel {brand}", "Motel {brand}"],
    kind_en="hotel",
    phrase=("un établissement d'hébergement", "a lodging business"),
    services=[
        _s("Chambres d'hébergement d'urgence", "Emergency rooms", ["need.safety_shelter"],
           "Des chambres réservées aux personnes référées, disponibles le soir même.",
           "Rooms kept for referred people, available the same evening.",
           cost="voucher", hours="always", access=["access.fast_track", "access.low_threshold"],
           always=True),
        _s("Location transitoire meublée", "Furnished transitional rental", ["need.housing"],
           "Studios meublés loués au mois pendant la recherche d'un logement permanent.",
           "Furnished studios rented by the month while looking for permanent housing.",
           cost="reduced", hours="office", access=["access.pets_accepted"]),
    ],
)
SECTORS["sector.private_detox"] = dict(
    names=["Centre de thérapie {brand}", "Maison de rétablissement {brand}"],
    kind_en="recovery centre",
    phrase=("un centre de thérapie en dépendances", "an addiction treatment centre"),
    services=[
        _s("Désintoxication avec hébergement", "Residential detox", ["need.addiction"],
           "Sevrage encadré et séjour de thérapie, avec une place réservée aux personnes "
           "référées.",
           "Supervised withdrawal and a residential programme, with a bed kept for referred "
           "people.", cost="sliding", hours="always", always=True,
           access=["access.harm_reduction", "access.low_threshold"],
           populations=["population.addiction"]),
        _s("Suivi externe en dépendance", "Outpatient addiction follow-up",
           ["need.addiction", "need.mental_health"],
           "Rencontres individuelles selon une approche de réduction des méfaits.",
           "One-to-one meetings with a harm-reduction approach.",
           cost="sliding", hours="evening", access=["access.harm_reduction"]),
    ],
)
SECTORS["sector.groceries_pharmacies"] = dict(
    names=["Épicerie {brand}", "Pharmacie {surname}", "Marché {brand}"],
    kind_en="grocery and pharmacy",
    phrase=("une épicerie ou une pharmacie de quartier", "a neighbourhood grocery or pharmacy"),
    services=[
        _s("Panier d'épicerie solidaire", "Solidarity grocery basket",
           ["need.basic_needs.food"],
           "Un panier d'aliments frais et de base, remis discrètement sur présentation d'un bon.",
           "A basket of fresh and staple food, handed over discreetly with a voucher.",
           cost="voucher", hours="retail"),
        _s("Trousses d'hygiène et produits essentiels", "Hygiene kits and essentials",
           ["need.basic_needs.hygiene"],
           "Produits d'hygiène, menstruels et de première nécessité.",
           "Hygiene, menstrual and everyday essential products.",
           cost="free", hours="retail"),
        _s("Conseils pharmaceutiques discrets", "Discreet pharmacy advice",
           ["need.physical_health.medical"],
           "Contraception d'urgence, naloxone et renouvellement d'ordonnances, dans un bureau "
           "fermé.",
           "Emergency contraception, naloxone and prescription renewals, in a private room.",
           cost="ramq", hours="retail", access=["access.harm_reduction"]),
    ],
)
SECTORS["sector.ground_transport"] = dict(
    names=["Taxi {brand}", "Autocars {brand}", "Transport {brand}"],
    kind_en="transport company",
    phrase=("une entreprise de transport", "a transport company"),
    services=[
        _s("Taxi vers les rendez-vous", "Taxi rides to appointments", ["need.transport"],
           "Des courses payées par bon, avec des chauffeuses et chauffeurs formés à la "
           "discrétion.",
           "Rides paid by voucher, with drivers trained in discretion.",
           cost="voucher", hours="always", always=True, access=["access.mobile"]),
        _s("Billets d'autocar interurbain", "Intercity coach tickets", ["need.transport"],
           "Des billets pour quitter une ville rapidement ou rejoindre un hébergement éloigné.",
           "Tickets to leave a town quickly or reach a distant shelter.",
           cost="voucher", hours="daily", access=["access.fast_track"]),
    ],
)
SECTORS["sector.beauty"] = dict(
    names=["Salon {brand}", "Institut de beauté {brand}", "Coiffure {brand}"],
    kind_en="beauty salon",
    phrase=("un salon de beauté", "a beauty salon"),
    services=[
        _s("Soins esthétiques", "Esthetic care", ["need.self_image.esthetics"],
           "Soins du visage, manucure et maquillage pour une entrevue ou un nouveau départ.",
           "Facials, manicures and make-up for an interview or a fresh start.",
           cost="reduced", hours="salon"),
        _s("Coupe et coiffure", "Haircut and styling", ["need.self_image.hair"],
           "Une coupe offerte dans un salon calme, sur rendez-vous en dehors des heures "
           "achalandées.",
           "A free haircut in a quiet salon, booked outside busy hours.",
           cost="free", hours="salon"),
    ],
)
SECTORS["sector.translation"] = dict(
    names=["Interprètes {brand}", "Traductions {brand}", "Langues et cultures {brand}"],
    kind_en="interpreting company",
    phrase=("une entreprise de traduction et d'interprétariat",
            "a translation and interpreting company"),
    services=[
        _s("Interprétariat en personne et par téléphone", "In-person and phone interpreting",
           ["need.interpreting"],
           "Des interprètes formées à la confidentialité pour les rendez-vous médicaux, "
           "juridiques et sociaux.",
           "Interpreters trained in confidentiality for medical, legal and social appointments.",
           cost="free", hours="office", access=["access.interpreter_available", "access.mobile"],
           many_languages=True),
        _s("Traduction de documents officiels", "Official document translation",
           ["need.interpreting", "need.legal.immigration"],
           "Traduction certifiée d'actes de naissance, de diplômes et de pièces judiciaires.",
           "Certified translation of birth certificates, diplomas and court documents.",
           cost="reduced", hours="office", many_languages=True),
    ],
)
SECTORS["sector.restaurants_bars"] = dict(
    names=["Restaurant {brand}", "Café {brand}", "Bistro {brand}"],
    kind_en="restaurant",
    phrase=("un restaurant", "a restaurant"),
    services=[
        _s("Repas chauds offerts", "Free hot meals", ["need.basic_needs.food"],
           "Un repas chaud servi à table, sans file d'attente ni question, sur présentation "
           "d'un bon.",
           "A hot meal served at the table, no queue and no questions, with a voucher.",
           cost="voucher", hours="restaurant", access=["access.low_threshold"]),
        _s("Emplois en restauration", "Restaurant jobs", ["need.employment"],
           "Des postes en cuisine et en salle avec une formation en milieu de travail.",
           "Kitchen and floor jobs with on-the-job training.", cost="free", hours="office"),
    ],
)
SECTORS["sector.financial"] = dict(
    names=["{surname} Comptabilité", "Syndic {surname} inc.", "Planification financière {brand}"],
    kind_en="financial services firm",
    phrase=("un cabinet de services financiers", "a financial services firm"),
    services=[
        _s("Budget et gestion des dettes", "Budgeting and debt management", ["need.finances"],
           "Faire le point sur les dettes, y compris celles contractées sous contrainte, et "
           "bâtir un budget réaliste.",
           "Reviewing debts, including those taken on under coercion, and building a realistic "
           "budget.", cost="free", hours="office"),
        _s("Déclarations de revenus gratuites", "Free tax returns", ["need.finances"],
           "Production des déclarations des années passées pour retrouver l'accès aux crédits "
           "et prestations.",
           "Filing past years' returns to regain access to credits and benefits.",
           cost="free", hours="office_lunch"),
        _s("Consultation avec un syndic", "Insolvency consultation", ["need.finances"],
           "Explication des options : proposition de consommateur, faillite, entente avec les "
           "créanciers.",
           "Explaining the options: consumer proposal, bankruptcy, agreements with creditors.",
           cost="first_free", hours="office"),
    ],
)
SECTORS["sector.air_transport"] = dict(
    names=["Transports aériens {brand}", "Aviation régionale {brand}"],
    kind_en="regional airline",
    phrase=("un transporteur aérien régional", "a regional air carrier"),
    services=[
        _s("Billets d'avion à tarif solidaire", "Solidarity airfares", ["need.transport"],
           "Des places à tarif réduit pour rejoindre un hébergement sécuritaire ou sa famille, "
           "réservées par l'intervenante.",
           "Reduced-fare seats to reach a safe shelter or family, booked by the intervenante.",
           cost="reduced", hours="daily", access=["access.fast_track"]),
    ],
)
SECTORS["sector.fitness_self_defence"] = dict(
    names=["Studio {brand}", "Dojo {brand}", "Centre de conditionnement {brand}"],
    kind_en="fitness studio",
    phrase=("un centre de conditionnement physique", "a fitness centre"),
    services=[
        _s("Cours d'autodéfense", "Self-defence classes", ["need.wellbeing.self_defence"],
           "Des cours en petits groupes non mixtes pour reprendre confiance en son corps.",
           "Small women-only groups to regain confidence in one's body.",
           cost="free", hours="evening", populations=["population.women"]),
        _s("Abonnement au centre sportif", "Gym membership", ["need.wellbeing.fitness"],
           "Un abonnement de six mois offert, avec une entraîneuse attitrée si désiré.",
           "A free six-month membership, with a personal trainer if wished.",
           cost="free", hours="gym"),
    ],
)
SECTORS["sector.alternative_medicine"] = dict(
    names=["Clinique de massothérapie {brand}", "Ostéopathie {brand}", "Acupuncture {brand}"],
    kind_en="complementary health clinic",
    phrase=("une clinique de médecines alternatives", "a complementary health clinic"),
    services=[
        _s("Massothérapie douce", "Gentle massage therapy", ["need.wellbeing.massage"],
           "Des massages adaptés aux personnes ayant vécu des traumas, avec consentement à "
           "chaque étape.",
           "Massages adapted for people who lived through trauma, with consent at every step.",
           cost="reduced", hours="evening"),
        _s("Ostéopathie", "Osteopathy", ["need.wellbeing.osteopathy"],
           "Traitements ostéopathiques pour les douleurs chroniques.",
           "Osteopathic treatment for chronic pain.", cost="sliding", hours="office"),
        _s("Acupuncture", "Acupuncture", ["need.wellbeing.acupuncture"],
           "Séances d'acupuncture, y compris le protocole auriculaire pour le sevrage.",
           "Acupuncture sessions, including the ear protocol for withdrawal.",
           cost="sliding", hours="office", access=["access.harm_reduction"]),
    ],
)
SECTORS["sector.telecom"] = dict(
    names=["Télécom {brand}", "Mobile {brand}"],
    kind_en="telecom provider",
    phrase=("un fournisseur de télécommunications", "a telecommunications provider"),
    services=[
        _s("Téléphone cellulaire et forfait", "Mobile phone and plan", ["need.telecom"],
           "Un appareil neuf et un forfait prépayé de trois mois, avec un nouveau numéro "
           "confidentiel.",
           "A new handset and a three-month prepaid plan, with a new confidential number.",
           cost="free", hours="retail", access=["access.fast_track"]),
        _s("Accès Internet sécuritaire", "Safe internet access", ["need.telecom"],
           "Un accès Internet à domicile et une vérification des appareils contre le traçage.",
           "Home internet access and a check of devices for tracking software.",
           cost="reduced", hours="office"),
    ],
)
SECTORS["sector.cosmetic_surgery"] = dict(
    names=["Clinique esthétique {brand}", "Centre de chirurgie réparatrice {brand}"],
    kind_en="cosmetic surgery clinic",
    phrase=("une clinique de chirurgie esthétique", "a cosmetic surgery clinic"),
    services=[
        _s("Chirurgie réparatrice des cicatrices", "Scar repair surgery",
           ["need.self_image", "need.physical_health.medical"],
           "Atténuation de cicatrices et de marques laissées par la violence.",
           "Reducing scars and marks left by violence.", cost="reduced", hours="office"),
        _s("Retrait de tatouage au laser", "Laser tattoo removal", ["need.self_image.tattoo"],
           "Effacement des tatouages imposés, sans frais pour les personnes référées.",
           "Removal of imposed tattoos, free for referred people.", cost="free",
           hours="office"),
    ],
)
SECTORS["sector.nutrition"] = dict(
    names=["Nutrition {brand}", "Diététistes {brand}"],
    kind_en="nutrition clinic",
    phrase=("une clinique de nutrition", "a nutrition clinic"),
    services=[
        _s("Consultation en nutrition", "Nutrition consultation",
           ["need.physical_health.nutrition"],
           "Une nutritionniste aide à retrouver des repas réguliers avec un petit budget.",
           "A dietitian helps return to regular meals on a small budget.",
           cost="sliding", hours="office", remote_possible=True),
    ],
)
SECTORS["sector.retail"] = dict(
    names=["Friperie {brand}", "Boutique {brand}", "Meubles {brand}"],
    kind_en="shop",
    phrase=("un commerce de détail", "a retail shop"),
    services=[
        _s("Vêtements gratuits", "Free clothing", ["need.basic_needs.clothing"],
           "Des vêtements de saison et des bottes d'hiver, choisis en boutique comme tout le "
           "monde.",
           "Seasonal clothing and winter boots, chosen in the shop like any customer.",
           cost="voucher", hours="retail"),
        _s("Meubles pour un nouveau logement", "Furniture for a new home",
           ["need.housing", "need.basic_needs"],
           "Lit, table et articles de cuisine livrés au nouveau logement.",
           "A bed, a table and kitchenware delivered to the new home.",
           cost="voucher", hours="retail", access=["access.mobile"]),
    ],
)
SECTORS["sector.tattoo"] = dict(
    names=["Atelier de tatouage {brand}", "Encre {brand}"],
    kind_en="tattoo studio",
    phrase=("un atelier de tatouage", "a tattoo studio"),
    services=[
        _s("Recouvrement de tatouage", "Tattoo cover-up", ["need.self_image.tattoo"],
           "Un nouveau dessin choisi par la personne pour recouvrir une marque imposée.",
           "A new design chosen by the person to cover an imposed mark.",
           cost="free", hours="salon"),
    ],
)
SECTORS["sector.veterinarians"] = dict(
    names=["Hôpital vétérinaire {brand}", "Clinique vétérinaire {brand}"],
    kind_en="veterinary clinic",
    phrase=("une clinique vétérinaire", "a veterinary clinic"),
    services=[
        _s("Soins vétérinaires à coût réduit", "Low-cost veterinary care",
           ["need.pets.veterinary"],
           "Vaccins, stérilisation et soins urgents pour l'animal de la personne.",
           "Vaccines, spaying and urgent care for the person's pet.",
           cost="reduced", hours="office"),
        _s("Garde temporaire d'animaux", "Temporary pet boarding", ["need.pets.pet_friendly"],
           "L'animal est gardé pendant un séjour en hébergement, jusqu'à trois mois.",
           "The pet is boarded during a shelter stay, up to three months.",
           cost="free", hours="daily", access=["access.pets_accepted"]),
    ],
)
SECTORS["sector.community"] = dict(
    names=["Maison {brand}", "Centre de femmes {brand}", "Collectif {brand}", "Halte {brand}"],
    kind_en="community organisation",
    phrase=("un organisme communautaire", "a community organisation"),
    services=[
        _s("Hébergement d'urgence pour femmes", "Emergency shelter for women",
           ["need.safety_shelter"],
           "Une maison d'hébergement à adresse confidentielle, ouverte jour et nuit.",
           "A shelter at a confidential address, open day and night.",
           cost="free", hours="always", always=True, confidential=True,
           access=["access.low_threshold", "access.fast_track"],
           populations=["population.women", "population.trans_nonbinary"]),
        _s("Maison de deuxième étape", "Second-stage housing", ["need.housing"],
           "Des logements transitoires avec suivi, pour une durée de six à dix-huit mois.",
           "Transitional apartments with follow-up, for six to eighteen months.",
           cost="sliding", hours="office", confidential=True),
        _s("Soutien par les pairs", "Peer support", ["need.peer_support"],
           "Des paires aidantes, elles-mêmes sorties de l'industrie du sexe, accompagnent la "
           "personne.",
           "Peer workers who themselves left the sex industry accompany the person.",
           cost="free", hours="evening", access=["access.accompaniment_welcome"],
           populations=["population.sex_industry"]),
        _s("Entreposage de biens", "Storage of belongings", ["need.storage"],
           "Un casier sécurisé pour garder papiers et effets personnels pendant une transition.",
           "A secure locker to keep papers and belongings during a transition.",
           cost="free", hours="daily"),
        _s("Halte-accueil de jour", "Day drop-in", ["need.basic_needs", "need.peer_support"],
           "Café, douche, lavage et ordinateur, sans inscription.",
           "Coffee, shower, laundry and a computer, no registration.",
           cost="free", hours="daily", access=["access.low_threshold", "access.pets_accepted"],
           populations=["population.homeless"]),
        _s("Ligne d'écoute et de référence", "Listening and referral line",
           ["need.mental_health", "need.safety_shelter"],
           "Une ligne téléphonique et un clavardage pour parler, évaluer sa sécurité et trouver "
           "des ressources.",
           "A phone line and chat to talk, assess one's safety and find resources.",
           cost="free", hours="always", always=True, remote=True),
        _s("Francisation et alphabétisation", "French classes and literacy", ["need.education"],
           "Des cours de français et d'alphabétisation en petits groupes, avec halte-garderie.",
           "French and literacy classes in small groups, with childcare.",
           cost="free", hours="office_lunch",
           populations=["population.immigrant_racialized"]),
    ],
)
SECTORS["sector.public_services"] = dict(
    names=["Centre de services {brand}", "Bureau régional {brand}"],
    kind_en="public service office",
    phrase=("un service public", "a public service"),
    services=[
        _s("Aide au logement social", "Social housing assistance", ["need.housing"],
           "Inscription prioritaire aux logements sociaux et aide au supplément au loyer.",
           "Priority registration for social housing and help with rent supplements.",
           cost="free", hours="office"),
        _s("Retour aux études", "Back to school", ["need.education"],
           "Reconnaissance des acquis et inscription en formation générale des adultes.",
           "Prior learning recognition and enrolment in adult general education.",
           cost="free", hours="office_lunch"),
        _s("Accompagnement vers l'aide financière de dernier recours",
           "Support to obtain last-resort financial aid", ["need.finances"],
           "Aide à remplir la demande et à obtenir les pièces manquantes, sans adresse fixe.",
           "Help with the application and missing documents, even without a fixed address.",
           cost="free", hours="office", access=["access.low_threshold"]),
    ],
)

# How often each sector appears (the brief lists the most requested first).
SECTOR_WEIGHTS = {
    "sector.psychotherapy": 14, "sector.medical_clinics": 14, "sector.lawyers": 11,
    "sector.employment": 8, "sector.hotels": 8, "sector.private_detox": 6,
    "sector.groceries_pharmacies": 7, "sector.ground_transport": 6, "sector.beauty": 5,
    "sector.translation": 5, "sector.restaurants_bars": 4, "sector.financial": 5,
    "sector.air_transport": 2, "sector.fitness_self_defence": 4,
    "sector.alternative_medicine": 4, "sector.telecom": 3, "sector.cosmetic_surgery": 2,
    "sector.nutrition": 3, "sector.retail": 4, "sector.tattoo": 2, "sector.veterinarians": 3,
    "sector.community": 14, "sector.public_services": 4,
}

ELIGIBILITY = [
    ("Personnes de 18 ans et plus.", "People aged 18 and over.", 18, None),
    ("Femmes de 18 ans et plus.", "Women aged 18 and over.", 18, None),
    ("Jeunes de 12 à 17 ans, avec ou sans accord parental selon la loi.",
     "Youth aged 12 to 17, with or without parental consent as the law allows.", 12, 17),
    ("Jeunes adultes de 18 à 24 ans.", "Young adults aged 18 to 24.", 18, 24),
    ("Sur référence d'une intervenante seulement.", "On an intervenante's referral only.",
     None, None),
    ("Aucun critère : toute personne référée est accueillie.",
     "No criteria: every referred person is welcome.", None, None),
]

REFERRERS = [
    dict(name="Le Fil d'Ariane — groupe communautaire", sector="sector.community",
         place="Montréal", region="06",
         fr="Groupe communautaire qui accompagne les personnes qui veulent sortir de "
            "l'exploitation sexuelle.",
         en="Community group supporting people who want to leave sexual exploitation."),
    dict(name="CALACS de la Vallée-des-Brumes", sector="sector.community",
         place="Trois-Rivières", region="04",
         fr="Centre d'aide et de lutte contre les agressions à caractère sexuel.",
         en="Sexual assault support and prevention centre."),
    dict(name="Maison d'hébergement L'Accalmie", sector="sector.community",
         place="Québec", region="03", confidential=True,
         fr="Maison d'hébergement pour femmes et leurs enfants.",
         en="Shelter for women and their children."),
    dict(name="CIUSSS du Grand-Littoral — équipe Traite et exploitation",
         sector="sector.public_services", place="Longueuil", region="16",
         fr="Équipe spécialisée d'un établissement public de santé et de services sociaux.",
         en="Specialised team of a public health and social services institution."),
    dict(name="Centre jeunesse Le Cerf-Volant", sector="sector.public_services",
         place="Rimouski", region="01",
         fr="Services de protection et de réadaptation pour les jeunes.",
         en="Youth protection and rehabilitation services."),
    dict(name="Halte-femmes Nord-Sud", sector="sector.community", place="Gatineau", region="07",
         fr="Centre de jour pour femmes en situation d'itinérance.",
         en="Day centre for women experiencing homelessness."),
]

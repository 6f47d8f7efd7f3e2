/* SPDX-License-Identifier: MIT */
/* analysis.c: benchmark driver for the analysis engine (bench/bench_analysis.sh).
 *
 *   analysis gen N DAYS SEED OUT.jsonl     synthetic news: N articles over DAYS days
 *   analysis day IN.jsonl [DATADIR]        the whole analysis pass over IN, timed
 *   analysis day-retokenise IN.jsonl [DATADIR]  the same on one thread, each
 *                                          step tokenising for itself (baseline)
 *   analysis brief IN.jsonl DATADIR DB [DAYS]  app_brief_build() over a store, timed
 *
 * The generator writes {"id","title","text","published","source","cluster"}
 * lines in time order, news written from templates and word lists of its
 * own (nothing read from elsewhere). Nineteen kinds of story, about 60% of
 * them technology (AI models, agents and research; compute deals, chip
 * earnings, funding, regulation, advertising; robots, devices, security,
 * space) and 40% not (football, tennis and Formula 1, elections, budgets,
 * markets, company news, films), each with its headlines, leads, facts and
 * next-day developments. A story has its own companies (mostly ones
 * data/gazetteer.tsv knows, drawn Zipf; some invented), product, people,
 * places, figures (money such as "$10 billion", "€2.5bn"; capacity "750
 * MW", "1.2 GW"; percentages; dates) and words of its own, and keeps them in
 * every report. Sizes are Pareto (more than half are one report, a few run
 * to 300 over up to a week, later days carrying developments). 200 outlets
 * publish Zipf-many articles, most keep to a beat, and each writes at its
 * own length (wire summaries, reports, long pieces) in its own words:
 * choices of wording follow the story, the outlet's habit or chance, and
 * facts are told in each article's own order and number. One article in
 * twelve of a running story is a syndicated copy of an earlier one,
 * sometimes with a new headline, a sentence cut or a line added. Gold
 * clusters let the script score quality beside speed. Deterministic for a
 * seed; 100k articles take about a second.
 *
 * "day" runs what a morning brief over the whole corpus runs, per article:
 * tokenising once (doc_terms), SimHash fingerprint and near-duplicate
 * lookup, streaming clustering, the technology gate and focus
 * classification, entity and figure extraction; then story ranking by
 * distinct outlets. It prints one line "seconds=S cpu_seconds=C
 * peak_rss_mb=M docs=N clusters=K copies=... digest=D" for the script (D
 * hashes every step's output, so two runs agree exactly when their
 * digests do), a "steps:" line of wall seconds per step and a
 * "cpu_steps:" line of CPU seconds per step. Nothing is
 * read or written while it runs, so wall time above CPU time is time the
 * process waited for a CPU held by others. */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bench.h"
#include "base/buf.h"
#include "base/util.h"
#include "base/xalloc.h"
#include "app/app.h"
#include "corpus/corpus.h"
#include "store/store.h"
#include "text/text.h"

/* ==== Generator ==== */

/* Every random choice comes from one xorshift stream seeded by SEED, so a
 * seed always writes the same corpus; facts a story keeps across its
 * articles (a figure, a minute, an outlet's habitual wording) come from
 * hashes of fixed keys instead, so they do not depend on the order the
 * articles are written in. */
static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double unif(void)
{
    return (double)(next_rand() >> 11) / 9007199254740992.0;
}
static size_t below(size_t n)
{
    return n ? (size_t)(next_rand() % n) : 0;
}

/* Zipf(s=1) rank in [0, n) by inverse transform over the harmonic sum. */
static size_t zipf(size_t n)
{
    double h = log((double)n) + 0.5772;
    double u = unif() * h;
    size_t k = (size_t)exp(u - 0.5772);
    return k >= n ? n - 1 : k;
}

static uint64_t mix64(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}
static uint64_t hash3(uint64_t a, uint64_t b, uint64_t c)
{
    return mix64(mix64(mix64(a) ^ b) ^ c);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* a NULL-terminated list of strings */
#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

static size_t list_len(const char *const *l)
{
    size_t n = 0;
    while (l && l[n])
        n++;
    return n;
}

/* ---- vocabularies (written for this generator) ---- */

/* Companies in rough order of how often news names them (drawn Zipf):
 * mostly ones data/gazetteer.tsv knows, so entity extraction has work. */
static const char *const tech_cos[] = {
    "NVIDIA",     "OpenAI",   "Microsoft",    "Google",      "Apple",
    "Amazon",     "Meta",     "Anthropic",    "TSMC",        "Samsung Electronics",
    "Intel",      "AMD",      "Tesla",        "Alibaba",     "Huawei",
    "Oracle",     "Baidu",    "Tencent",      "ByteDance",   "IBM",
    "SoftBank",   "Broadcom", "Qualcomm",     "Arm",         "Micron",
    "SK hynix",   "ASML",     "Salesforce",   "xAI",         "Mistral AI",
    "CoreWeave",  "DeepSeek", "Cerebras",     "Databricks",  "Palantir",
    "Perplexity", "Cohere",   "Hugging Face", "Snowflake",   "Naver",
    "Kakao",      "Sony",     "Xiaomi",       "Lenovo",      "Dell",
    "Cisco",      "Ericsson", "Nokia",        "Waymo",       "Zoox",
    "Figure AI",  "SpaceX",   "Rocket Lab",   "CrowdStrike", "Cloudflare",
    "Okta",       "Stripe",   "Coinbase",     "Uber",        "Spotify",
    "Netflix",    "Reddit",   "Groq",         "Nebius",      "Scale AI",
    "Synopsys",   "Foxconn",  "Infineon",     "Siemens",     "SAP",
};
#define AI_LABS                                                                                    \
    LIST("OpenAI", "Anthropic", "Google DeepMind", "Meta", "Mistral AI", "xAI", "DeepSeek",        \
         "Alibaba", "Microsoft", "Cohere", "Moonshot AI", "Zhipu AI", "Naver", "Upstage",          \
         "Amazon", "Baidu", "Sakana AI", "AI21 Labs", "Stability AI", "Tencent")
#define CHIP_COS                                                                                   \
    LIST("NVIDIA", "AMD", "Intel", "TSMC", "Broadcom", "Samsung Electronics", "SK hynix",          \
         "Micron", "Qualcomm", "Arm", "Cerebras", "Marvell", "MediaTek", "Groq", "SambaNova",      \
         "Tenstorrent")
#define CLOUD_COS                                                                                  \
    LIST("Microsoft", "Oracle", "CoreWeave", "Amazon Web Services", "Google", "Nebius", "Crusoe",  \
         "Lambda", "Together AI", "SoftBank", "Meta")
#define ROBOT_COS                                                                                  \
    LIST("Tesla", "Figure AI", "Boston Dynamics", "Waymo", "Unitree", "Agility Robotics", "Zoox",  \
         "Apptronik", "1X", "Wayve", "Pony.ai", "Baidu Apollo", "Physical Intelligence", "Amazon")
#define DEVICE_COS                                                                                 \
    LIST("Apple", "Samsung Electronics", "Google", "Meta", "Xiaomi", "Sony", "Lenovo", "Huawei",   \
         "Qualcomm", "Nintendo", "LG Electronics", "Dell", "HP")
#define SECURITY_COS                                                                               \
    LIST("Microsoft", "Cisco", "Okta", "Fortinet", "Palo Alto Networks", "Cloudflare",             \
         "CrowdStrike", "Ivanti", "Citrix", "Atlassian", "GitLab", "Oracle", "VMware", "SAP")
#define SPACE_COS                                                                                  \
    LIST("SpaceX", "Rocket Lab", "Blue Origin", "Planet Labs", "Starlink", "Firefly Aerospace")
#define INVESTORS                                                                                  \
    LIST("SoftBank", "Andreessen Horowitz", "Sequoia Capital", "NVIDIA", "Microsoft",              \
         "Thrive Capital", "General Catalyst", "Lightspeed", "Accel", "Index Ventures", "Google",  \
         "Salesforce Ventures", "Tiger Global", "Khosla Ventures")

/* Invented names: a stem and a trade, so a story's own firms are new words */
static const char *const name_stems[] = {
    "Northwind", "Corvex",    "Lumina",    "Quantis",  "Helix",   "Verdant",    "Tessera",
    "Orbital",   "Kestrel",   "Basalt",    "Arclight", "Nimbus",  "Solace",     "Parallax",
    "Vireo",     "Zephyr",    "Cobalt",    "Meridian", "Halcyon", "Ironwood",   "Stratos",
    "Fathom",    "Quill",     "Lattice",   "Prism",    "Aether",  "Brightline", "Cinder",
    "Deepwell",  "Evergreen", "Granite",   "Harbor",   "Juniper", "Keystone",   "Lodestar",
    "Mosaic",    "Nexa",      "Onyx",      "Pinnacle", "Radiant", "Sable",      "Tidewater",
    "Umbra",     "Vantage",   "Wavecrest", "Yarrow",   "Alder",   "Beacon",     "Crestline",
    "Driftwood", "Ember",     "Foxglove",  "Galena",   "Hollis",  "Indigo",     "Jasper",
    "Kinetic",   "Larkspur",  "Marlow",    "Novum",
};
#define TECH_TRADES                                                                                \
    LIST("Labs", "AI", "Systems", "Technologies", "Compute", "Networks", "Semiconductor", "Cloud")
#define ROBOT_TRADES LIST("Robotics", "Dynamics", "Autonomy", "Machines")
#define FIRM_TRADES                                                                                \
    LIST("Group", "Holdings", "Bank", "Airlines", "Foods", "Motors", "Energy", "Retail",           \
         "Insurance", "Pharma", "Logistics", "Steel", "Telecom")

static const char *const first_names[] = {
    "James",  "Maria",  "David",  "Sarah",  "Michael", "Anna",   "Daniel",  "Laura",  "Thomas",
    "Emma",   "Lucas",  "Sofia",  "Ji-won", "Hiroshi", "Priya",  "Ahmed",   "Elena",  "Carlos",
    "Wei",    "Fatima", "Oliver", "Chloe",  "Mateo",   "Yuki",   "Min-jun", "Amara",  "Jonas",
    "Ingrid", "Rahul",  "Leila",  "Pierre", "Camille", "Marco",  "Giulia",  "Samuel", "Ruth",
    "Kwame",  "Nadia",  "Viktor", "Hana",   "Diego",   "Isabel", "Arjun",   "Mei",    "Tobias",
    "Freya",  "Omar",   "Zara",   "Felix",  "Alice",
};
static const char *const last_names[] = {
    "Smith",    "Garcia", "Kim",       "Nakamura", "Patel",   "Müller",  "Rossi",    "Dubois",
    "Johnson",  "Chen",   "Lee",       "Park",     "Okafor",  "Silva",   "Novak",    "Larsen",
    "Haddad",   "Brown",  "Tanaka",    "Ivanova",  "Moreau",  "Schmidt", "Ferreira", "Kowalski",
    "Andersen", "Wright", "Singh",     "Yamamoto", "Choi",    "Hughes",  "Costa",    "Bauer",
    "Nguyen",   "Mendes", "Fischer",   "Olsen",    "Reyes",   "Walker",  "Cohen",    "Sato",
    "Bianchi",  "Martin", "Lindqvist", "Murphy",   "Agarwal", "Romero",  "Weber",    "Kaur",
    "Hoffmann", "Santos", "Yilmaz",    "Baker",    "Ortiz",   "Khan",    "Jensen",   "Vargas",
    "Petrov",   "Fujita", "Mensah",    "Castillo",
};
static const char *const roles[] = {
    "chief executive",         "chief technology officer",  "president",       "head of research",
    "chief financial officer", "vice president of product", "chief scientist", "general manager"};
static const char *const cities[] = {
    "Austin",  "Phoenix",   "Los Angeles", "Miami",   "Tokyo",  "Seoul",  "London", "Munich",
    "Dubai",   "Singapore", "Shenzhen",    "Atlanta", "Denver", "Dallas", "Paris",  "Madrid",
    "Toronto", "Sydney",    "Osaka",       "Busan",   "Lyon",   "Milan",  "Leeds",  "Porto",
};
static const char *const dc_places[] = {
    "Texas",        "Arizona",
    "Ohio",         "Virginia",
    "Oregon",       "Georgia",
    "Johor",        "Ireland",
    "Frankfurt",    "Osaka",
    "South Korea",  "Taiwan",
    "Saudi Arabia", "the United Arab Emirates",
    "Norway",       "Quebec",
    "Iowa",         "Nevada",
    "Wisconsin",
};
static const char *const countries[] = {
    "France", "Germany",   "Japan",   "South Korea", "Brazil",          "India", "Canada",
    "Italy",  "Spain",     "Poland",  "Mexico",      "Australia",       "Kenya", "Indonesia",
    "Turkey", "Argentina", "Nigeria", "Sweden",      "the Netherlands", "Chile", "Portugal",
};
static const char *const regulators[] = {
    "the European Commission",
    "the FTC",
    "the Department of Justice",
    "the CMA",
    "the Bundeskartellamt",
    "the KFTC",
    "the SEC",
    "Ofcom",
    "the FCC",
    "Japan's Fair Trade Commission",
};
static const char *const pol_roles[] = {"senator", "commissioner", "minister for digital affairs",
                                        "committee chair", "member of parliament"};
static const char *const parties[] = {
    "the Social Democrats", "the Conservative Party", "the Green Party",       "the Liberal Party",
    "the People's Party",   "the Labour Party",       "the National Alliance", "the Reform Party",
    "the Centre Party",     "the Democratic Union",
};
static const char *const team_mascots[] = {"United", "City",      "Rovers", "Athletic",
                                           "FC",     "Wanderers", "Albion", "Rangers",
                                           "Town",   "Sporting"};
static const char *const indexes[] = {"S&P 500", "FTSE 100",  "Nikkei 225",       "DAX",
                                      "Kospi",   "Stoxx 600", "Nasdaq Composite", "Hang Seng",
                                      "CAC 40"};
static const char *const banks[] = {"the Federal Reserve", "the European Central Bank",
                                    "the Bank of England", "the Bank of Japan",
                                    "the Bank of Korea",   "the Reserve Bank of Australia"};
static const char *const exchanges[] = {"New York", "London", "Frankfurt", "Paris",
                                        "Tokyo",    "Seoul",  "Amsterdam", "Zurich"};
static const char *const regions[] = {"Europe",        "Asia",       "North America",
                                      "Latin America", "the region", "the world"};
static const char *const launch_sites[] = {"Cape Canaveral", "Vandenberg", "New Zealand",
                                           "Kourou",         "Boca Chica", "Wallops Island"};
static const char *const months[] = {"January",   "February", "March",    "April",
                                     "May",       "June",     "July",     "August",
                                     "September", "October",  "November", "December"};
static const char *const weekdays[] = {"Thursday", "Friday",  "Saturday", "Sunday",
                                       "Monday",   "Tuesday", "Wednesday"}; /* 1970-01-01 */
static const char *const quarters[] = {"first quarter", "second quarter", "third quarter",
                                       "fourth quarter"};
static const char *const product_stems[] = {
    "Atlas",  "Nova", "Orion",   "Sage",   "Falcon",  "Aurora", "Pulse", "Vega", "Titan",
    "Echo",   "Lyra", "Polaris", "Quasar", "Zenith",  "Ember",  "Comet", "Iris", "Nimbus",
    "Helios", "Kite", "Vertex",  "Summit", "Cascade", "Tempo",  "Flux",  "Halo", "Spark",
};
static const char *const product_tags[] = {"2",   "3",    "3.5",   "4",   "X", "Pro", "Ultra",
                                           "Max", "Mini", "Flash", "One", "5", "R1",  "Edge"};
static const char *const film_adjs[] = {"Last",   "Silent", "Broken",  "Midnight", "Golden",
                                        "Hidden", "Final",  "Crimson", "Distant",  "Wild"};
static const char *const film_nouns[] = {"Harbor", "Circuit", "Kingdom", "Frontier", "Signal",
                                         "Garden", "Horizon", "Empire",  "River",    "Witness"};

/* ---- story families ----
 * A family is a kind of news story: its headlines, leads, the facts an
 * article may report (each story keeps about three in four of them, each
 * article tells some of those in its own order), and developments told
 * from the second day on. Templates: {KEY} is a fact of the story
 * ({A} {B} {C} companies, {P} product, {PER} {PER2} {MGR} people and {LAST}
 * the first one's surname, {M}..{M4} money, {CAP} {CAP2} capacity, {PCT}
 * {PCT2} percentages, {X} {X2} the story's subject, {WD} its weekday,
 * {DAYREF} "on Tuesday" or the like, {N} a digit the story keeps...);
 * [a|b|c] is a choice of wording, taken by habit of the outlet or at
 * random, so outlets paraphrase one another. */
enum domain { DOM_TECH, DOM_SPORT, DOM_POLITICS, DOM_BUSINESS, DOM_CULTURE, NDOMAINS };

struct family {
    const char *name;
    enum domain domain;
    double weight;                                             /* share of stories */
    const char *const *a_list, *const *b_list, *const *c_list; /* NULL: tech_cos */
    const char *const *trades; /* invented company names for {A}: their trades */
    double invented;           /* share of stories whose {A} is invented */
    double money[4][2];        /* {M}..{M4}: ranges in millions */
    double cap[2];             /* {CAP}: range in MW */
    const char *const *details;
    const char *const *titles, *const *leads, *const *facts, *const *follows;
};

static const struct family families[] = {
    {"ai-model",
     DOM_TECH,
     0.07,
     AI_LABS,
     NULL,
     NULL,
     TECH_TRADES,
     0.25,
     {{50, 500}, {100, 900}, {10, 90}, {1000, 9000}},
     {0, 0},
     LIST("coding", "mathematics", "translation", "long documents", "customer service",
          "video generation", "scientific reasoning", "speech recognition", "web search",
          "image editing", "medical questions", "legal research", "spreadsheets", "chemistry",
          "software testing", "data analysis", "tutoring"),
     LIST("{A} [releases|unveils|launches|debuts] {P}, [a new|its latest|its most capable] "
          "[language model|AI model]",
          "{A}'s {P} [model|AI model] [takes aim at|challenges|rivals] {B} on {X}",
          "{A} [rolls out|ships] {P} with [better|stronger|improved] {X} [skills|performance]",
          "[New|Latest] {A} model {P} [tops|leads|beats rivals on] {X} benchmarks"),
     LIST("{A} {DAYREF} [released|unveiled|launched|introduced] {P}, a [large language "
          "model|new AI model|generative AI model] that the company says [is better at|improves "
          "on its predecessor in|outperforms rivals at] {X}.",
          "{A} has [released|made available|launched] {P}, [its latest|its newest|the latest "
          "version of its] [language model|AI model], [claiming|saying it delivers] "
          "[stronger|better|state-of-the-art] results on {X} [tasks|benchmarks].",
          "[The artificial intelligence company|AI developer|The AI lab] {A} [introduced|unveiled] "
          "{P} {DAYREF}, [promising|touting] [gains|improvements] in {X} and {X2}."),
     LIST("The model [was trained on|learned from] [a mix of public and licensed data|trillions "
          "of tokens of text and code|text, images and code], [according to|the company said "
          "in] [a technical report|a blog post|its announcement].",
          "{A} said {P} [scores|scored] {PCT} higher than [the previous version|its predecessor] "
          "on [a widely used|an industry|a standard] benchmark for {X}.",
          "[The model|{P}] [has|comes with] a context window of {N}00,000 tokens and "
          "[supports|handles] [reasoning|tool use|multimodal input] [across|for] [text and "
          "images|documents and code|several languages].",
          "[Developers|Customers|Businesses] can [access|use|try] {P} [through|via] {A}'s API "
          "[starting {WD}|from today|immediately], [at a price of|priced at] ${PRICE} per "
          "million tokens.",
          "[A smaller|A lighter|A distilled] version, {P} Mini, [is designed to|can] run on "
          "[phones and laptops|devices|a single GPU], [the company said|{A} said].",
          "[Researchers|Analysts|Critics] [noted|pointed out|said] that [benchmark results|the "
          "company's claims] [have not been independently verified|are hard to reproduce|may "
          "not reflect real-world use].",
          "The [release|launch] [comes|arrives] [weeks|days|months] after {B} "
          "[released|shipped|announced] a [competing|rival] model, [intensifying|adding to] "
          "[competition|the race] [among AI developers|in generative AI].",
          "{A} said it [tested|evaluated] {P} for [safety|misuse] [risks|issues] with "
          "[outside|external|independent] [experts|researchers|red teams] before release.",
          "The weights [will not be released|will be released under an open licence|stay "
          "closed], [{A} said|according to the company]."),
     LIST("[Early users|Developers|Testers] [reported|said] {P} [was slower than "
          "expected|struggled|performed well] on {X2} [tasks|problems] in [early tests|the first "
          "days after release].",
          "{A} [said|confirmed] on {WD} that [demand for|usage of] {P} had [exceeded "
          "expectations|forced it to limit access|doubled its API traffic].",
          "{B} [responded|hit back] [by cutting prices|with an update to its own model|by "
          "announcing a rival release] [a day later|on {WD}].")},

    {"ai-agents",
     DOM_TECH,
     0.05,
     NULL,
     NULL,
     NULL,
     LIST("AI", "Labs", "Software"),
     0.35,
     {{20, 300}, {50, 900}, {5, 60}, {100, 900}},
     {0, 0},
     LIST("customer support", "invoice processing", "software development", "sales outreach",
          "IT help desks", "insurance claims", "hiring", "procurement", "compliance checks",
          "travel booking", "data entry", "financial reporting"),
     LIST("{A} [launches|unveils|introduces] AI agents that [handle|automate] {X}",
          "{A} bets on [AI agents|agentic AI] with {P}",
          "{A}'s {P} [lets|allows] [AI agents|software agents] [take over|run] {X}"),
     LIST("{A} {DAYREF} [launched|introduced|unveiled] {P}, [a platform|a set of "
          "tools|software] that lets businesses [build and run|deploy] AI agents [to "
          "handle|that automate|for] {X}.",
          "[Enterprise software maker|The company] {A} [is betting|has bet] on [AI "
          "agents|agentic AI] with {P}, [a product|a service] [aimed at|that targets] {X} [in "
          "large companies|for corporate customers]."),
     LIST("The agents can [plan tasks|use tools|call other software], [work across|connect to] "
          "[email, calendars and databases|internal systems] and [ask a human|hand off to staff] "
          "[when unsure|before acting|for approval].",
          "{A} said [early|pilot] customers [including|such as] {B} [cut|reduced] the time "
          "spent on {X} by {PCT}.",
          "[Multi-agent orchestration|Agent orchestration|Coordinating several agents] "
          "[lets|allows] [one agent|a supervisor agent] to [split|divide] [work|a job] among "
          "[specialised|smaller] agents, [the company said|{LAST} said].",
          "[Pricing|The price] [starts at|is] ${PRICE2} per agent per month, [with|and] [a free "
          "tier|volume discounts] for [small teams|developers].",
          "\"[Agents will change how|This changes how|We think agents will reshape how] "
          "[companies|people|teams] work,\" said {PER}, {ROLE} at {A}.",
          "[Analysts|Industry watchers|Consultants] [say|warn] that [enterprise "
          "adoption|adoption in business] [remains|is still] [slow|early], [with|as] "
          "[many|most] [pilots|projects] [never reaching production|stalling over cost and "
          "reliability].",
          "[Governance|Safety and accountability] [features|controls] [log|record] [every "
          "action|each step] an agent takes [so that|and] [administrators|auditors] can "
          "[review|trace] [them|decisions]."),
     LIST("{A} [shares|stock] [rose|climbed|gained] {PCT2} [on {WD}|the next day] as investors "
          "[welcomed|cheered] the [agent push|launch].",
          "[Rival|Competitor] {B} [said|announced] it would [add|ship] [similar|its own] agent "
          "features [within weeks|later this year].")},

    {"ai-science",
     DOM_TECH,
     0.035,
     LIST("Google DeepMind", "MIT", "Stanford University", "Microsoft Research", "ETH Zurich",
          "University of Oxford", "Tsinghua University", "KAIST", "Carnegie Mellon University",
          "Max Planck Society", "RIKEN", "Meta AI", "IBM Research", "UC Berkeley"),
     NULL,
     NULL,
     NULL,
     0.0,
     {{5, 80}, {5, 50}, {1, 20}, {10, 90}},
     {0, 0},
     LIST("protein structures", "new battery materials", "antibiotics", "weather forecasts",
          "crystal structures", "enzyme designs", "drug candidates", "fusion plasma control",
          "earthquake aftershocks", "gene regulation", "superconductors", "catalysts",
          "brain scans", "solar cell materials", "ocean currents"),
     LIST("AI model from {A} [predicts|designs|discovers] {X}",
          "Researchers use AI to [speed up|accelerate] the search for {X}",
          "{A} [researchers|scientists] [report|publish] AI [advance|breakthrough] in {X}"),
     LIST("[Researchers|Scientists] at {A} [have used|used] [a deep learning model|machine "
          "learning|an AI system] to [speed up|accelerate|improve] [work on|research into] {X}, "
          "[according to|in] a paper published {DAYREF} in [Nature|Science|a peer-reviewed "
          "journal].",
          "[A team|A group of researchers] [led by|including] {PER} of {A} [reported|described] "
          "[a neural network|an AI model] that [can predict|predicts|designs] {X} [in hours "
          "rather than months|far faster than existing methods]."),
     LIST("The model was trained on [data from|records of] {N}{N},000 "
          "[experiments|samples|structures] and [tested|checked] against [laboratory "
          "results|known measurements].",
          "[In tests|In laboratory tests|In experiments], the system [correctly "
          "predicted|matched] {PCT} of [results|outcomes|structures], [compared with|against] "
          "{PCT2} for [conventional|earlier|traditional] methods.",
          "\"[This opens|It opens] the door to [faster|cheaper] [scientific discovery|research] "
          "in {X2},\" said {PER}, [a co-author|the lead author|who led the study].",
          "The [researchers|team] [released|published] the [code|model weights|data] [as open "
          "source|openly|under an open licence] so that [other labs|other scientists] can "
          "[build on|reproduce] the [work|results].",
          "[Independent|Outside] [experts|scientists] [cautioned|said] that [the results|the "
          "predictions] [still need|will need] [experimental confirmation|validation in the "
          "lab].",
          "The [work|project] was [funded|supported] by [a government grant|the National "
          "Science Foundation|a {M} research programme]."),
     LIST("{A} said it [is working with|has partnered with] [drug makers|laboratories|other "
          "universities] to [test|apply] the [method|model] on {X2}.")},

    {"compute-deal",
     DOM_TECH,
     0.05,
     LIST("OpenAI", "Anthropic", "Meta", "xAI", "Microsoft", "Mistral AI", "Amazon", "Google",
          "ByteDance", "Apple", "Perplexity", "Cohere"),
     CLOUD_COS,
     CHIP_COS,
     NULL,
     0.1,
     {{1000, 60000}, {50000, 500000}, {100, 900}, {10, 90}},
     {100, 5000},
     LIST("training", "inference", "cloud services", "its chatbot"),
     LIST("{A} [signs|strikes|agrees] {M} [compute|cloud|chip] deal with {B}",
          "{A} to [buy|rent|secure] {CAP} of [data center|computing] capacity from {B}",
          "{B} [wins|lands] {M} [contract|deal] to [supply|power] {A}'s AI [models|data "
          "centers]",
          "{A}, {B} [agree|announce] {M} [AI infrastructure|data center] [deal|partnership]"),
     LIST("{A} has [agreed|signed a deal] to [buy|rent|use] [computing capacity|AI chips and "
          "servers] [from|with] {B} in [an agreement|a deal|a contract] worth {M}, the "
          "companies said {DAYREF}.",
          "{B} will [supply|provide] {A} with {CAP} of [data center|computing|AI inference] "
          "capacity [under|in] a [multiyear|five-year|long-term] deal [valued at|worth] {M}, "
          "[according to|people familiar with] [a statement|the matter|the companies].",
          "[In one of the largest|In a major|In the latest] [compute deals|AI infrastructure "
          "deals] [this year|yet], {A} [said|announced] {DAYREF} it would [spend|pay] {M} "
          "[for|on] {CAP} of capacity from {B}."),
     LIST("The [capacity|computing power] will [come from|be housed in] [new|new and existing] "
          "data centers in {PLACE}, [with the first|and the first] [phase|site] [due to come "
          "online|expected online] in {YEAR}.",
          "The [facilities|data centers] will [run on|use] [GPUs|accelerators|chips] from {C} "
          "[and draw|drawing] {CAP2} of power at full [build-out|capacity].",
          "{A} [needs|wants] the [compute|capacity] to [train|run] [its next models|larger "
          "models|inference for its products] [as|because] [demand for|use of] its "
          "[services|chatbot] [grows|keeps growing].",
          "[Shares of|Stock in] {B} [rose|jumped|climbed] {PCT} in [early|late] trading "
          "[after|on] the [news|announcement].",
          "\"[Compute is|Access to compute is|Capacity remains] [the bottleneck|the "
          "constraint|what limits us],\" {PER}, {A}'s {ROLE}, said in [a statement|an "
          "interview|a call with analysts].",
          "[Analysts|Critics] [have questioned|question] [whether|how] {A} [can pay for|will "
          "fund] [such|these] [commitments|deals], [which now total|which add up to] more than "
          "{M2}.",
          "The deal [also includes|includes] [an option|a clause] for {A} to [expand|add] "
          "capacity by a further {CAP2} [later|by {YEAR}].",
          "[Power|Electricity supply] [has become|is] [a limiting factor|the main constraint] "
          "for [new|AI] data centers, and {B} said it had [secured|signed] [grid "
          "connections|power purchase agreements] [for the sites|in {PLACE}]."),
     LIST("[Regulators|Officials] in {PLACE} [said they were|are] [reviewing|looking at] the "
          "[power demand|grid impact] of the [planned|new] data centers.",
          "{A} [later|on {WD}] [said|added] that the deal with {B} would [not affect|sit "
          "alongside] its [existing|other] cloud [contracts|partnerships].",
          "[Shares of|Stock in] {C} [also rose|gained] {PCT2} as investors [bet|wagered] on "
          "[more chip orders|higher demand for accelerators].")},

    {"chip-earnings",
     DOM_TECH,
     0.04,
     CHIP_COS,
     LIST("Microsoft", "Meta", "Amazon", "Google", "Oracle", "OpenAI", "Tesla", "Apple"),
     LIST("Microsoft", "Meta", "Amazon", "Google", "Oracle", "CoreWeave", "xAI"),
     NULL,
     0.0,
     {{2000, 60000}, {1000, 40000}, {100, 5000}, {10, 90}},
     {0, 0},
     LIST("AI accelerators", "high-bandwidth memory", "data center GPUs", "networking chips",
          "custom AI chips"),
     LIST("{A} [revenue|sales] [jumps|rises|surges] {PCT} on AI chip demand",
          "{A} [beats|tops|misses] [estimates|forecasts] as data center sales [grow|climb]",
          "{A} [forecasts|sees] [strong|record|weaker] [quarter|sales] [as|amid] AI "
          "[spending|demand] [continues|slows]"),
     LIST("{A} {DAYREF} [reported|posted] [quarterly revenue|{Q} revenue] of {M}, [up|a rise "
          "of] {PCT} from a year earlier, [driven by|on] [demand for|sales of] {X}.",
          "[Chipmaker|Semiconductor maker] {A} [said|reported] [sales|revenue] [rose|grew|climbed] "
          "{PCT} to {M} in the {Q}, [beating|topping|ahead of] [analysts' estimates|Wall Street "
          "forecasts]."),
     LIST("[Data center|Data-center] revenue [reached|was] {M2}, [accounting for|making up] "
          "[most|the bulk|more than half] of [total sales|the total].",
          "The company [forecast|expects] [revenue of|sales of] [about|around|roughly] {M} for "
          "the [current|next] quarter, [above|below|in line with] [what analysts "
          "expected|consensus estimates].",
          "[Gross margin|Its gross margin] [was|came in at] {PCT2}, [as|with] [prices "
          "for|sales of] [high-bandwidth memory|advanced chips] [rising|remaining strong].",
          "{A} [said|noted] [export controls|US export rules] [on sales to China|limiting "
          "shipments to China] [cost it|weighed on results by] {M3} [in the quarter|of sales].",
          "[Shares|The stock] [rose|fell|swung] {PCT2} in after-hours trading "
          "[following|after] the [results|report].",
          "\"[Demand for|Orders for] [our|AI] [chips|accelerators] [remains|continues to be] "
          "[strong|extraordinary],\" said {ROLE} {PER} on a call with analysts.",
          "[Customers|Big buyers] [including|such as] {B} and {C} [are|have been] "
          "[spending|pouring] [billions|heavily] on [AI infrastructure|data centers]."),
     LIST("[Analysts at several banks|Several brokerages] [raised|lifted] their price targets "
          "[for|on] {A} [after|following] the [results|report].",
          "[Rival chipmakers|Suppliers] [also gained|rallied] [on {WD}|the next day] [as|after] "
          "{A}'s [results|forecast] [eased|calmed] [worries about|fears of] an AI spending "
          "slowdown.")},

    {"funding",
     DOM_TECH,
     0.06,
     LIST("Mistral AI", "Cohere", "Perplexity", "Figure AI", "Groq", "Cerebras", "Sakana AI",
          "Harvey", "Glean", "Cursor", "Replit", "Cognition", "ElevenLabs", "Synthesia", "Helsing",
          "Anduril", "Wayve", "Physical Intelligence", "Upstage", "Together AI", "Lambda", "Crusoe",
          "Runway", "Character.AI"),
     INVESTORS,
     NULL,
     LIST("AI", "Labs", "Robotics", "Security", "Health", "Cloud", "Bio"),
     0.6,
     {{20, 5000}, {500, 80000}, {5, 500}, {50000, 200000}},
     {0, 0},
     LIST("AI coding tools", "AI for hospitals", "voice assistants", "legal software",
          "chips for AI inference", "robot software", "AI security tools", "search engines",
          "AI video tools", "drug discovery software", "translation software", "AI tutors"),
     LIST("{A} raises {M} at {M2} valuation",
          "[AI startup|Startup] {A} [lands|secures|closes] {M} [funding round|in new funding]",
          "{B} [leads|backs] {M} [round|investment] in {A}"),
     LIST("{A}, [a startup|a young company] [building|that builds|developing] {X}, [has "
          "raised|raised|said it raised] {M} in a [new funding round|Series B round|Series C "
          "round] [that values it at|valuing it at|at a valuation of] {M2}.",
          "[Investors led by|A round led by] {B} put {M} into {A}, the startup "
          "[focused on|working on] {X}, [according to|the company said in] [a "
          "statement|people familiar with the deal]."),
     LIST(
         "{A} was founded in {YEAR0} by {PER}, [a former|previously a] "
         "[researcher|engineer|executive] at {C}.",
         "The company [will|plans to] [use|spend] the [money|funds|capital] [to hire|on "
         "hiring] [engineers|researchers] and [buy computing power|expand into Europe and "
         "Asia|build out its product].",
         "{A} [says|said] it has {N}00 [business customers|paying customers|enterprise "
         "clients] and [annual recurring revenue|yearly revenue] of {M3}.",
         "[The round|The deal] [more than doubles|triples|lifts] {A}'s valuation [from|since] "
         "[its last round|a year ago].",
         "[Other|Existing] investors [including|such as] {C} [also took part|joined|participated].",
         "[Venture funding|Investment] in AI startups [reached|hit|topped] {M4} [last year|in "
         "the first half|this year], [according to|data from] [market researchers|industry "
         "trackers]."),
     LIST("{A} [also said|confirmed] it had [hired|poached] {N} [researchers|engineers] from "
          "{C} [since the round|in recent weeks].")},

    {"regulation",
     DOM_TECH,
     0.06,
     NULL,
     NULL,
     NULL,
     NULL,
     0.0,
     {{100, 5000}, {10, 900}, {1, 50}, {10, 90}},
     {0, 0},
     LIST("online search", "app stores", "cloud computing", "AI chatbots", "digital advertising",
          "smartphone software", "online marketplaces", "social media", "data protection",
          "AI chips", "messaging apps"),
     LIST("[Regulators|EU regulators|US regulators] [open|launch] [antitrust|competition] "
          "[probe|investigation] into {A} over {X}",
          "{COUNTRY} [tightens|expands|announces] [export controls|rules] on [AI chips|advanced "
          "chips|chipmaking equipment]",
          "{A} [fined|faces] {M} [penalty|fine] [over|for] {X}"),
     LIST(
         "{REG} {DAYREF} [opened|launched|announced] [an investigation|a formal probe] into "
         "whether {A} [abused|used] its [dominance|position] in {X} [to favour its own "
         "services|to shut out rivals such as {B}].",
         "[The government of {COUNTRY}|Officials in {COUNTRY}] [announced|unveiled|issued] "
         "[new|tighter] [rules|export controls|restrictions] {DAYREF} on [sales of|shipments "
         "of] [advanced AI chips|chipmaking equipment], citing national security [concerns|risks].",
         "{A} [was fined|has been fined] {M} by {REG} for [breaking|violating|breaching] [rules "
         "on|the law on] {X}, [the regulator|officials] said {DAYREF}."),
     LIST("<1>[The rules|The measures] [require|would require] [companies|developers] to [obtain "
          "a licence|seek approval|report to the government] before [selling|exporting|training] "
          "[models|chips] above a [compute|performance] threshold.",
          "<02>{A} said it [would appeal|disagreed with the decision|would cooperate with "
          "regulators] and [had done nothing wrong|was reviewing the findings].",
          "<0>[The investigation|The probe|The case] [could|may] [lead to|result in] [fines of up "
          "to|a penalty of up to] 10% of [global|annual] [revenue|turnover].",
          "[Lawmakers|Senators|Members of parliament] [have argued|argue] that [AI|the "
          "technology] [needs|requires] [clear rules|stronger oversight] [on|for] "
          "[safety|transparency|accountability].",
          "[Industry groups|Trade groups|Tech companies] [warned|said] the "
          "[rules|regulation] [could|would] [slow|hurt] [innovation|investment] and [push|drive] "
          "[research|companies] [abroad|to other countries].",
          "\"[No company|Nobody] is above the [law|rules],\" said {PER}, [the|a] {POLROLE}.",
          "<1>[The AI Act|New legislation] [sets|imposes] [obligations|duties] on [providers of "
          "general-purpose models|high-risk systems], [including|such as] [risk "
          "assessments|documentation] and [incident reporting|human oversight].",
          "<02>[Shares of|Stock in] {A} [fell|slipped|dropped] {PCT} [on the news|after the "
          "announcement]."),
     LIST(
         "<02>{A} [filed|submitted] [a response|its objections] to {REG} on {WD}, [arguing|saying] "
         "[the case|the findings] [misread|misunderstood] the market.",
         "[Officials|The regulator] said a decision [is expected|would come] [by|before] "
         "{MONTH}.")},

    {"ads-business",
     DOM_TECH,
     0.03,
     LIST("OpenAI", "Google", "Meta", "Microsoft", "Perplexity", "Snap", "Reddit", "Amazon",
          "Spotify", "Netflix", "X Corp", "Anthropic"),
     LIST("Google", "Meta", "Amazon", "Microsoft"),
     NULL,
     NULL,
     0.0,
     {{500, 20000}, {100, 5000}, {10, 90}, {10, 90}},
     {0, 0},
     LIST("shopping queries", "travel searches", "recipes", "product comparisons"),
     LIST("{A} to [show|introduce|test] ads in {P}",
          "{A} [launches|adds] [cheaper|new] subscription tier for {P}",
          "{A} [bets|leans] on advertising to [monetize|fund] {P}"),
     LIST("{A} [said|announced] {DAYREF} it would [begin|start] [showing|testing] [ads|"
          "advertising] [in|inside] {P} [for|to] [free users|users on its free tier] in "
          "{COUNTRY}, [a shift in|changing] its business model.",
          "{A} is [adding|introducing] [a new|a cheaper] subscription [tier|plan] for {P} at "
          "${PRICE2} a month, [as|while] it [looks for|searches for] [ways to make money "
          "from|new revenue from] [its users|AI features]."),
     LIST("{P} has [more than|about|nearly] {N}00 million [weekly|monthly] users, [most of "
          "whom|the majority of whom] [pay nothing|use the free version].",
          "[The ads|Ads] will [appear|be shown] [below|next to] [answers|results] for {X} and "
          "[be clearly labelled|be marked as sponsored], {A} said.",
          "[Subscription revenue|Revenue from subscriptions] [grew|rose] {PCT} last year to "
          "{M}, [but|yet] [the cost of running|compute costs for] [the service|its models] "
          "[rose faster|keep rising].",
          "[Advertisers|Marketing executives] [have been|are] [eager|keen|cautious] to "
          "[reach|test] [chatbot users|AI assistant users], [analysts said|according to "
          "agencies].",
          "[Privacy advocates|Consumer groups] [raised concerns|warned] about [how|whether] "
          "[conversations|personal data] would be used to [target ads|target advertising].",
          "{B} [makes|earns] [most of|the bulk of] its revenue from [ads|advertising] "
          "[in|across] its [search|products]."),
     LIST("[Some users|Subscribers] [complained|said online] that the [ads|change] [made|makes] "
          "{P} [worse|harder to use], [while|though] {A} said [engagement was unchanged|early "
          "results were encouraging].")},

    {"robotics",
     DOM_TECH,
     0.05,
     ROBOT_COS,
     LIST("Amazon", "BMW", "Mercedes-Benz", "Hyundai Motor", "DHL", "Walmart", "Foxconn", "Toyota",
          "GXO Logistics"),
     LIST("NVIDIA", "Microsoft", "SoftBank", "Samsung Electronics", "OpenAI", "Amazon"),
     ROBOT_TRADES,
     0.3,
     {{100, 3000}, {100, 900}, {10, 90}, {10, 90}},
     {0, 0},
     LIST("warehouses", "car factories", "hospitals", "homes", "retail stores", "farms",
          "construction sites", "airports"),
     LIST("{A} [unveils|shows off|launches] {P} humanoid robot [for|aimed at] {X}",
          "{A} [to deploy|deploys] robots in {B} [warehouses|factories]",
          "{A} [expands|launches] robotaxi service [to|in] {CITY}"),
     LIST("{A} {DAYREF} [unveiled|showed|introduced] {P}, a humanoid robot [designed|built] "
          "to [work in|handle tasks in] {X}, and said [it would|deliveries would] [start|begin] "
          "in {YEAR}.",
          "{A} will [deploy|put] {N}00 [of its robots|robots] [in|at] {B}'s [warehouses|"
          "factories|logistics centers] [under|in] [a deal|a pilot|an agreement] the companies "
          "announced {DAYREF}.",
          "{A} [said|announced] {DAYREF} that its [self-driving|autonomous] [robotaxi|ride-"
          "hailing] service would [expand|launch] in {CITY}, [its|the company's] {N}th "
          "[city|market]."),
     LIST("<0>The robot [stands|is] {HEIGHT} tall, [can carry|lifts] [up to|about] {N}0 "
          "kilograms and [runs|works] for [about|roughly] {N} hours on a [charge|battery].",
          "[It uses|The system relies on] [a vision-language model|an AI model trained on "
          "video|foundation models] to [understand|follow] [spoken instructions|commands] and "
          "[plan|work out] [tasks|movements].",
          "{A} said [the robots|its vehicles] had [completed|logged] {N} million "
          "[miles|tasks|hours] [without a serious incident|in testing].",
          "[The company|{A}] [has raised|raised] {M} [from investors|to date], [including|with "
          "backing from] {C}.",
          "<01>[Labour unions|Workers' groups] [raised|voiced] [concerns|questions] about "
          "[jobs|safety] [as|with] [robots|automation] [spreading|arriving] in {X}.",
          "<01>[Costs remain high|Price is the hurdle]: [each robot|each unit] [costs|is priced "
          "at] [about|around] ${PRICE3}, [analysts estimate|according to analysts].",
          "[Sensors|Lidar and cameras] [on the|around the] [robot|vehicle] [feed|send] data to "
          "[chips on board|on-device AI], [so it can react|letting it react] in milliseconds "
          "[without|instead of relying on] the cloud."),
     LIST("[Safety regulators|Officials in {CITY}] [asked|told|ordered] {A} to [provide|submit] "
          "[data|reports] on [incidents|crashes|disengagements].",
          "[Video of|Footage showing] {P} [went viral|spread online] [on {WD}|this week], "
          "[drawing|with] [comparisons to|questions about] [rival robots|staged "
          "demonstrations].")},

    {"devices",
     DOM_TECH,
     0.06,
     DEVICE_COS,
     NULL,
     CHIP_COS,
     NULL,
     0.0,
     {{100, 900}, {10, 90}, {10, 90}, {10, 90}},
     {0, 0},
     LIST("the camera", "the display", "battery life", "the AI assistant", "gaming", "video calls",
          "fitness tracking", "translation"),
     LIST("{A} [unveils|launches|announces] {P} [headset|smartphone|smart glasses|laptop]",
          "Hands-on: {A}'s {P} [brings|puts] AI on [the device|your face|your phone]",
          "{A} {P} review: [good|great] {X}, [poor|short] battery life",
          "{A} [cuts price of|discounts] {P} [ahead of|for] [holiday sales|Black Friday] deals"),
     LIST("{A} {DAYREF} [unveiled|announced|launched] {P}, [a mixed reality headset|a "
          "smartphone|a pair of smart glasses|a laptop] that [runs|puts] [AI models|an AI "
          "assistant] [on the device|on-device] [rather than|instead of] in the cloud.",
          "{A}'s [new|latest] {P} [goes on sale|ships|arrives in stores] [on {DATE}|next month] "
          "[at|for] ${PRICE2}99, with [a faster chip|a new processor] and [better|longer] "
          "battery life."),
     LIST("[The device|It] [uses|is powered by] [a custom chip|a chip] from {C} [with|that "
          "has] a [neural processing unit|dedicated AI engine] [able to run|capable of running] "
          "models with {N} billion parameters.",
          "[Reviewers|Early reviews] [praised|liked] {X} but [criticised|complained about] "
          "[battery life|the price|the weight].",
          "[Sensors|Cameras and sensors] [track|follow] [hand movements|the wearer's eyes|the "
          "surroundings] [to place|and place] [apps|digital objects] in [the room|space].",
          "{A} [sold|shipped] {N} million [units|devices] of [the previous model|its last "
          "model] [last year|in its first year], [according to|estimates from] [research "
          "firm|analysts at] {RESEARCH}.",
          "[Spatial computing|Augmented reality|Wearable AI] [has|still has] [yet to|not yet "
          "managed to] [find|reach] a mass [audience|market], [analysts said|according to "
          "analysts].",
          "[Pre-orders|Orders] [open|opened] [on {WD}|today] in {COUNTRY} and [the US|a dozen "
          "countries]."),
     LIST("{A} [said|confirmed] it would [fix|update] a [software bug|battery problem] "
          "[reported by|found by] [early buyers|users] [on {WD}|this week].")},

    {"security",
     DOM_TECH,
     0.05,
     SECURITY_COS,
     LIST("Mandiant", "CrowdStrike", "Google", "Microsoft", "SentinelOne", "Check Point"),
     NULL,
     NULL,
     0.2,
     {{1, 50}, {10, 900}, {1, 50}, {10, 90}},
     {0, 0},
     LIST("VPN gateways", "email servers", "firewalls", "identity software",
          "file transfer "
          "software",
          "remote desktop tools"),
     LIST("{A} [hit by|confirms|discloses] [cyberattack|data breach|ransomware attack]",
          "[Hackers exploit|Researchers find|Attackers target] critical [flaw|bug|vulnerability] "
          "in {A}'s {P} {X}"),
     LIST("{A} [said|confirmed] {DAYREF} that [hackers|attackers|an unauthorised party] [had "
          "accessed|stole|gained access to] [data on|personal information of] {N} million "
          "[customers|users] in a [cyberattack|breach] [discovered|detected] [last week|on "
          "{WD}].",
          "[Security researchers|Researchers at {B}] [found|discovered|reported] a "
          "[critical|serious] [vulnerability|flaw] in {A}'s {P} {X} that [lets|allows] "
          "attackers [take control of|run code on] [servers|devices] [remotely|without a "
          "password]."),
     LIST("<1>The [flaw|vulnerability|bug] [is tracked as|has been assigned] "
          "CVE-{YEAR}-{N}{N}{N}{N} "
          "and [is rated|scores] 9.{N} out of 10 [for severity|on the CVSS scale].",
          "<1>{A} [released|issued|pushed] a [patch|fix|software update] [on {WD}|this week] and "
          "[urged|told] [customers|administrators] to [install it|update] "
          "[immediately|as soon as possible].",
          "<0>[The attack|The breach] was [claimed by|linked to] [a ransomware group|a criminal "
          "gang|state-backed hackers], [which|who] [demanded|asked for] {M} [in "
          "cryptocurrency|in bitcoin|as ransom].",
          "<1>[CISA|The national cyber agency] [added|put] the [flaw|bug] to its list of [known "
          "exploited vulnerabilities|actively exploited bugs] and [ordered|told] "
          "[agencies|federal agencies] to [patch|fix] it within {N} days.",
          "<0>[Passwords|Card numbers] were not [affected|exposed], {A} said, [but|and] "
          "[names, emails and phone numbers|email addresses] [were|may have been] "
          "[taken|exposed].",
          "<0>[Stolen|The stolen] data [appeared|was offered for sale] on a [criminal forum|dark "
          "web forum] [on {WD}|days later]."),
     LIST("<0>[Lawyers|Law firms] [filed|have filed] a class action [against|suing] {A} "
          "[over|for] the [breach|data leak].")},

    {"space",
     DOM_TECH,
     0.035,
     SPACE_COS,
     NULL,
     NULL,
     NULL,
     0.0,
     {{50, 3000}, {10, 900}, {10, 90}, {10, 90}},
     {0, 0},
     LIST("water vapour", "a giant planet", "carbon molecules", "an ancient galaxy", "a black hole",
          "ice on the Moon", "signs of volcanic activity"),
     LIST("{A} [launches|sends|puts] [a new batch of|dozens of|more] [satellites|internet "
          "satellites] into orbit [on|aboard] {P} rocket",
          "[Space telescope|Webb telescope|Astronomers] [finds|spots|captures] {X}"),
     LIST("{A} [launched|sent] {N}0 [satellites|broadband satellites] into [low Earth "
          "orbit|orbit] {DAYREF} [aboard|on] its {P} rocket from {SITE}.",
          "[Astronomers|Scientists] using [the James Webb Space Telescope|a space "
          "telescope|NASA's telescope] [have found|found|spotted] {X} [in|around] a "
          "[distant|young] [galaxy|star system], [according to|in] a study published "
          "{DAYREF}."),
     LIST("<0>The [rocket's|booster's] first stage [landed|returned] [on a drone ship|back at "
          "the pad] [about|some] {N} minutes after [liftoff|launch].",
          "<0>[The satellites|They] will [add|expand] [capacity|coverage] to [its|the] broadband "
          "network, which [has|now has] {N} million [subscribers|users] [in|across] {N}0 "
          "countries.",
          "<0>[NASA|The space agency] [paid|awarded] {A} {M} [for|under] [the mission|a "
          "contract].",
          "<1>[The observations|The data] [suggest|show] that {X2} [formed|may have formed] "
          "[earlier|faster] than [models predicted|scientists expected].",
          "<0>[The launch|The mission] [had been|was] delayed [twice|three times] [by|because of] "
          "[weather|a technical problem with a valve]."),
     LIST("<0>[Engineers|Controllers] [said|reported] [all|most] of the satellites were "
          "[healthy|working] and [raising their orbits|deploying their antennas].")},

    /* ---- outside technology ---- */
    {"football",
     DOM_SPORT,
     0.10,
     NULL,
     NULL,
     NULL,
     NULL,
     0.0,
     {{10, 90}, {10, 90}, {10, 90}, {10, 90}},
     {0, 0},
     LIST("the league", "the cup", "the derby", "the title race", "the relegation fight"),
     LIST("{T1} [beat|edge|thrash|hold off] {T2} {S1}-{S2}",
          "{PER} [scores twice|hits winner|strikes late] as {T1} [beat|see off|overcome] {T2}",
          "{T1} [move|climb|go] [top of the table|second|into the top four] after [win|victory] "
          "over {T2}"),
     LIST("{PER} scored [twice|in stoppage time|a late winner|the decisive goal] as {T1} "
          "[beat|defeated|edged past] {T2} {S1}-{S2} {DAYREF} to [move|climb] [top of the "
          "league|within {N} points of the leaders|into the top four].",
          "{T1} [came from behind|held on|fought back] to [beat|win against] {T2} {S1}-{S2} [at "
          "home|away|in front of {N}{N},000 fans] {DAYREF}, [with|thanks to] [goals from|a "
          "brace from] {PER}."),
     LIST("[The visitors|{T2}] [had taken the lead|went ahead|opened the scoring] [through|with] "
          "a [header|penalty|free kick] from {PER2} in the {N}{N}th minute.",
          "[The manager|Coach] {MGR} [said|told reporters] [after the match|afterwards] "
          "[that his side|his players] [had shown|showed] [character|great spirit|real belief].",
          "{T2} [had|finished with] [a player|a man] [sent off|dismissed] [early in|midway "
          "through] the second half [for|after] a [second yellow card|reckless tackle].",
          "[The win|The result|Victory] [extends|stretches] {T1}'s unbeaten run to {N} "
          "[games|matches] [in all competitions|in the league].",
          "[The striker|{LAST}] [has now scored|now has] 1{N} goals this season, [the "
          "most|more than anyone] in the league.",
          "[The referee|VAR] [ruled out|disallowed] [a goal|an equaliser] [for offside|for "
          "handball] [in the closing minutes|late on], [to the anger of|angering] [the away "
          "fans|{T2}'s bench].",
          "{T1} [face|play|host] {T3} in {X} [next|on] {WD}.",
          "[Tickets|The match] [sold out|was sold out] [within hours|days in advance]."),
     LIST("{T2} [have|has] [lodged a complaint|appealed] [over|against] the red card [shown|"
          "given] in the match.",
          "{MGR} [was charged|faces a fine] [by the league|by the FA] [for|over] "
          "[comments|remarks] about the referee.")},

    {"tennis-f1",
     DOM_SPORT,
     0.05,
     NULL,
     NULL,
     NULL,
     NULL,
     0.0,
     {{1, 5}, {10, 90}, {10, 90}, {10, 90}},
     {0, 0},
     LIST("the season", "the championship"),
     LIST("{PER} [beats|stuns|overcomes] {PER2} [to win|to reach the final of|at] {EVENT}",
          "{PER} [wins|takes|claims] {EVENT} [as|while] {PER2} [struggles|finishes second]"),
     LIST("{PER} [beat|defeated|overcame] {PER2} 6-{N}, 7-6, 6-{N} {DAYREF} to [win|reach "
          "the final of] {EVENT}, [his|a] {N}th [title|final] of the season.",
          "{PER} [won|took] {EVENT} {DAYREF}, [finishing|crossing the line] {N}.{N}{N} seconds "
          "ahead of {PER2} to [extend|cut] [his lead|the gap] in the championship [to|by] "
          "{N}{N} points."),
     LIST("<0>The world number {N} [saved|fought off] {N} [break points|match points] [in the "
          "second set|late on] [before|and then] [closing out|sealing] the [win|match].",
          "[Rain|Heavy rain] [delayed|interrupted] the [start|final laps|match] [for|by] "
          "[about an hour|{N}0 minutes].",
          "\"[It was a tough one|I'm very happy|It means a lot],\" {LAST} said "
          "[afterwards|on court|at a news conference]. \"[I had to fight|I stayed calm|The "
          "crowd helped me].\"",
          "<1>[The team|His team] [made|chose] a [one-stop|two-stop] [strategy|call] that "
          "[proved|turned out to be] decisive [in the closing laps|late in the race].",
          "<0>{PER2} [needed treatment|took a medical timeout] [for|on] a [shoulder|back|wrist] "
          "[problem|injury] in the [second set|middle of the race].",
          "[Prize money|The winner's cheque] [for|at] {EVENT} [was|is] {M}."),
     LIST("{PER2} [said|confirmed] {DAYREF} he would [miss|skip] the next [tournament|race] "
          "[to rest|with injury].")},

    {"election",
     DOM_POLITICS,
     0.06,
     NULL,
     NULL,
     NULL,
     NULL,
     0.0,
     {{10, 90}, {10, 90}, {10, 90}, {10, 90}},
     {0, 0},
     LIST("the cost of living", "immigration", "housing and inflation", "healthcare and taxes",
          "corruption", "energy prices"),
     LIST("{PARTY} [wins|leads|loses ground] in {COUNTRY} [election|vote]",
          "{COUNTRY} [votes|goes to the polls] [as|with] {PER} [seeking|chasing] [a second "
          "term|victory]",
          "{PER} [concedes|claims victory] [in|after] {COUNTRY} [election|presidential race]"),
     LIST("{PARTY} [won|took] {PCT} of the vote in {COUNTRY}'s [parliamentary|general|"
          "regional] election {DAYREF}, [according to|with] [preliminary results|official "
          "results], [putting|leaving] {PER} [on course|in position] to [form a "
          "government|become prime minister].",
          "Voters in {COUNTRY} [went to the polls|cast ballots] {DAYREF} in [a closely "
          "fought|a tight|a bitter] [election|presidential race] between {PER} and {PER2}, "
          "with turnout [reaching|at] {PCT2}."),
     LIST("[The campaign|Campaigning] [was dominated by|focused on] {X}.",
          "{PER2} [conceded defeat|refused to concede] [late on {WD}|in a speech to supporters], "
          "[saying|and said] [the party|he] would [respect|challenge] the result.",
          "[The opposition|{PARTY2}] [won|took] {N}{N} seats, [down|up] {N} from the [last|"
          "previous] election.",
          "[Coalition talks|Negotiations on a coalition] [are expected to take|could take] "
          "[weeks|months], [analysts said|observers said].",
          "[International observers|Election monitors] [said|reported] the vote was [largely "
          "free and fair|marred by irregularities].",
          "\"[Tonight|Today] the people [have spoken|chose change],\" {LAST} told "
          "[cheering|flag-waving] supporters in the capital.",
          "[Markets|The currency] [rose|fell|steadied] [after|on] the [result|news], [with|as] "
          "[the stock index|bond yields] [edging higher|rising]."),
     LIST("{PER} [met|held talks with] [party leaders|smaller parties] [on {WD}|this week] "
          "[to discuss|about] [forming a coalition|a governing majority].",
          "[The electoral commission|Officials] [said|announced] a recount would [take "
          "place|be held] in several districts after complaints from {PARTY2}.")},

    {"budget",
     DOM_POLITICS,
     0.06,
     NULL,
     NULL,
     NULL,
     NULL,
     0.0,
     {{5000, 80000}, {10, 90}, {10, 90}, {10, 90}},
     {0, 0},
     LIST("defence", "healthcare", "schools and housing", "pensions", "roads and railways",
          "police"),
     LIST("{COUNTRY} [unveils|presents] budget [with|including] {M} [for|in new spending on] {X}",
          "[Parliament|Lawmakers] [pass|reject|back] {COUNTRY} [pension|tax|immigration] "
          "[reform|bill]"),
     LIST("{COUNTRY}'s finance minister {PER} {DAYREF} [presented|unveiled] a "
          "budget [that includes|with] {M} [of|in] [new spending on|extra funding for] {X}, "
          "[financed|paid for] [partly|in part] by [higher taxes on|a levy on] [banks|energy "
          "companies|the wealthy].",
          "[Lawmakers|Parliament|The lower house] in {COUNTRY} [voted|voted narrowly] "
          "{N}{N}{N} to {N}{N}{N} {DAYREF} to [approve|pass|reject] a [contested|"
          "controversial|long-delayed] [pension reform|tax bill|immigration law]."),
     LIST("<0>[The deficit|The budget deficit] is [forecast|expected] to [fall|narrow|rise] to "
          "{PCT2} of [GDP|economic output] [next year|in {YEAR}].",
          "[Opposition parties|Critics] [called|described] the [plan|measures] "
          "[unfair|reckless|a broken promise] and [vowed|promised] to [fight|challenge] it.",
          "[Thousands of|Tens of thousands of] [people|protesters|workers] [marched|protested|"
          "rallied] [in|through] the capital [against|over] the [reform|plans] [on {WD}|last "
          "week].",
          "[Unions|Trade unions] [called|announced] a [general strike|nationwide strike] for "
          "{DATE}.",
          "{PER} [said|told parliament] the [measures|reform] were [needed|necessary] to "
          "[restore|protect] [public finances|growth|the pension system].",
          "[Polls|Opinion polls] [show|suggest] [most voters|a majority] [oppose|support] the "
          "[plan|measures]."),
     LIST("[The upper house|The senate] [is expected to|will] [vote on|debate] the "
          "[bill|measure] [next week|on {WD}].")},

    {"markets",
     DOM_BUSINESS,
     0.035,
     NULL,
     NULL,
     NULL,
     FIRM_TRADES,
     1.0,
     {{10, 90}, {10, 90}, {10, 90}, {10, 90}},
     {0, 0},
     LIST("inflation cooled more than expected", "the central bank signalled rate cuts",
          "trade tensions eased", "factory data disappointed", "the jobs report beat forecasts",
          "bank earnings beat forecasts", "bond yields climbed", "consumer spending slowed",
          "the currency weakened", "OPEC+ agreed to cut output", "a pipeline outage in Libya",
          "China's exports fell", "retail sales jumped", "a bank rescue was announced",
          "wage growth picked up", "housing starts slumped", "a ceasefire was agreed",
          "tariff threats returned", "a heatwave lifted power demand", "the yen hit a new low"),
     LIST("[Stocks|Shares|Markets] [=rise|fall] [as|after] {X}",
          "{BANK} [holds|raises|cuts] [rates|interest rates] [at|to] {RATE}",
          "[Oil|Crude|Oil prices] [=climb|drop] {PCT} [as|after] {X}"),
     LIST("[Stocks|Global stocks|Shares] [=rose|fell] {DAYREF} [as|after] "
          "{X}, [with|and] the {INDEX} [closing|ending] {PCT} [=higher|lower].",
          "{BANK} [left|kept|raised|cut] [its benchmark interest rate|interest rates] "
          "[unchanged at|to] {RATE} {DAYREF}, [as|saying] [inflation|price growth] "
          "[remained|was] [above|close to] its 2% target.",
          "[Oil prices|Brent crude|Crude oil] [=rose|fell] {PCT} to ${PRICE4} a "
          "barrel "
          "{DAYREF} [as|after] {X}."),
     LIST("[Bond yields|Ten-year yields] [climbed|eased|rose|fell] to {RATE2}, [their "
          "highest|their lowest] level since {MONTH}.",
          "<0>[Banks|Energy shares|Retailers] [led|dragged] the [gains|declines|market], [with|as] "
          "{A} [up|down] {PCT2}.",
          "[Investors|Traders] [are|were] [waiting for|watching|focused on] [inflation "
          "data|the jobs report|central bank comments] [due|out] [on {WD}|later this week].",
          "\"[The market is|Investors are] [nervous|pricing in rate cuts|looking for "
          "direction],\" said {PER}, [chief economist|a strategist|head of research] at "
          "{FIRM}.",
          "[The dollar|The euro|The yen] [weakened|strengthened|was little changed] against "
          "[major currencies|the dollar] after {X}.",
          "[Trading volumes|Volumes] were [thin|light|heavy] [ahead of|because of] [a public "
          "holiday|the holiday|the data]."),
     LIST("[Futures|Stock futures] [pointed to|suggested] a [higher|lower|flat] open [on "
          "{WD}|the next day] after the [sell-off|rally].")},

    {"corporate",
     DOM_BUSINESS,
     0.075,
     NULL,
     NULL,
     NULL,
     FIRM_TRADES,
     1.0,
     {{1000, 50000}, {1000, 40000}, {100, 5000}, {10, 90}},
     {0, 0},
     LIST("higher energy costs", "weak demand", "a strong travel season", "rising wages",
          "lower interest income", "a slump in exports"),
     LIST("{A} [to buy|agrees to buy|acquires] {CO2} for {M}",
          "{A} [profit|earnings] [=rises|falls] {PCT} [on|amid] {X}",
          "{A} [to cut|cuts|will cut] {N},{N}00 jobs"),
     LIST("{A} [agreed|has agreed] to [buy|acquire|take over] {CO2} [for|in a deal worth] {M}, "
          "[creating|forming] [one of the largest|the biggest] [groups|companies] of its kind "
          "in {REGION}, the companies said {DAYREF}.",
          "{A} [reported|posted] a {PCT} [=rise|fall] in [quarterly|annual|first-half] "
          "[profit|net income] {DAYREF}, [citing|blaming] {X}.",
          "{A} [said|announced] {DAYREF} it would [cut|eliminate|shed] {N},{N}00 jobs [over the "
          "next two years|by {YEAR}] [as part of|in] a [restructuring|cost-cutting "
          "plan|turnaround plan] to save {M3}."),
     LIST("<0>[Shareholders of|Investors in] {CO2} will [receive|get] ${PRICE4} [a share|per "
          "share] [in cash|in cash and stock], a premium of {PCT2} to the last closing price.",
          "<0>[The deal|The merger] [needs|requires] [approval from|the approval of] "
          "[regulators|competition authorities] and [is expected to close|should close] in "
          "{YEAR}.",
          "<1>[Revenue|Sales] [rose|fell|edged up] {PCT2} to {M2}, [slightly|well] [above|below] "
          "[forecasts|what analysts expected].",
          "[Chief executive|CEO] {PER} said the [company|group] [faced|was facing] [higher "
          "costs|weak demand|a tough market] [but|and] [expected|saw] [a recovery|improvement] "
          "[in the second half|next year].",
          "[Shares|The stock] [rose|fell|jumped|slid] {PCT} in [early|morning] trading in "
          "{EXCH}.",
          "<2>[Unions|Staff representatives] [called|described] the [cuts|job losses] "
          "[unacceptable|a betrayal] and [threatened|planned] [strikes|industrial action]."),
     LIST("[Credit rating agencies|Moody's] [put|placed] {A} on [review|watch] for [a "
          "possible downgrade|an upgrade] after the [announcement|deal].")},

    {"film",
     DOM_CULTURE,
     0.02,
     NULL,
     NULL,
     NULL,
     NULL,
     0.0,
     {{20, 300}, {80, 300}, {10, 90}, {10, 90}},
     {0, 0},
     LIST("a retired detective", "a young musician", "a reluctant hero", "a ship's captain"),
     LIST("{FILM} [tops|leads|dominates] [box office|weekend box office] with {M}",
          "{FILM} [opens|debuts] [strong|big] [as|while] {FILM2} [slips|fades]"),
     LIST("{FILM} [took in|earned|grossed] {M} [in North America|worldwide|at the box office] "
          "[over the weekend|in its opening weekend], [topping|beating] [industry "
          "forecasts|expectations] and [pushing|knocking] {FILM2} [into second place|off the "
          "top spot]."),
     LIST("[The film|The sequel|The movie], [directed by|from director] {PER2}, [stars|"
          "features] {PER} [as|playing] {X}.",
          "[Critics|Reviewers] [were|have been] [divided|mostly positive|lukewarm], [giving "
          "it|with] a {N}{N}% score on review aggregators.",
          "[The studio|Its studio] [spent|had spent] [about|roughly] {M2} [making|on] the film, "
          "[not including|before] marketing.",
          "[Cinema chains|Theatres] [said|reported] [attendance|ticket sales] [was still "
          "below|was back near] [pre-pandemic|2019] levels."),
     LIST("{FILM} [held|kept] the top spot [for a second weekend|again], [falling|dropping] "
          "{PCT2} from its debut.")},
};

/* What a story is about beyond its family's words: each story draws its own
 * handful of these (Zipf: some are common to many stories, most are not)
 * and a coined code name, and tells them in sentences of its own
 * (story_lines), as real reports of one story share its particulars. */
static const char *const *const story_words[NDOMAINS] = {
    LIST("chip shortage", "rollout", "supply chain", "memory prices", "cooling systems",
         "power grid", "software update", "licensing terms", "training data", "user data",
         "cloud contracts", "app store fees", "pricing model", "developer ecosystem",
         "open-source community", "GPU supply", "inference costs", "battery supply", "sensor suite",
         "mapping data", "fleet size", "launch schedule", "ground stations", "spectrum licences",
         "encryption keys", "patch cycle", "server farms", "fibre network", "subsea cables",
         "wafer output", "packaging capacity", "yield rates", "design team", "research budget",
         "hiring freeze", "stock options", "board seat", "voting rights", "data-sharing deal",
         "consumer backlash", "privacy settings", "content moderation", "age checks",
         "copyright claims", "publisher deals", "court ruling", "appeal process", "filing deadline",
         "quarterly guidance", "order backlog", "customer churn", "sales pipeline",
         "retail partners", "carrier deals", "trade-in offers", "repair rules", "warranty terms",
         "firmware", "kernel driver", "API limits", "rate limits", "token prices", "context length",
         "evaluation suite", "red-team results", "model card", "watermarking", "deepfakes",
         "election misinformation", "voice cloning", "tariffs", "customs rules", "local partners",
         "joint venture", "sovereign cloud", "public sector contracts", "defence contracts",
         "procurement rules", "school districts", "hospital networks", "insurers", "call centres",
         "translation market", "gaming studios", "music labels", "authors' lawsuits", "tax breaks",
         "water use", "noise complaints", "zoning board", "nuclear power deal", "gas turbines",
         "solar farms", "battery storage", "heat reuse", "liquid cooling", "rack density",
         "optical links", "networking switches", "memory stacks", "photonics", "quantum roadmap",
         "qubit counts", "error correction"),
    LIST("title race", "transfer window", "injury list", "home form", "away record",
         "goal difference", "penalty shoot-out", "squad rotation", "youth academy",
         "stadium expansion", "ticket prices", "fan protests", "club owners", "broadcast deal",
         "wage bill", "fixture list", "winter break", "training ground", "captaincy",
         "relegation battle", "cup run", "pitch conditions", "tyre strategy", "pit stops",
         "qualifying pace", "safety car", "grass season", "clay swing", "ranking points",
         "coaching staff", "doping case", "appeal hearing", "contract talks", "loan spell",
         "hamstring injury", "knee surgery", "comeback", "farewell season", "attendance record"),
    LIST("coalition deal", "pension age", "fuel subsidies", "minimum wage", "housing shortage",
         "rent controls", "border checks", "asylum rules", "defence spending", "trade deal",
         "farm subsidies", "energy bills", "public debt", "bond markets", "regional elections",
         "constitutional court", "referendum", "campaign finance", "party leadership",
         "cabinet reshuffle", "corruption inquiry", "press freedom", "teachers' pay",
         "hospital waiting lists", "rail strikes", "fuel tax", "carbon tax", "climate targets",
         "coal phase-out", "water shortages", "wildfire season", "flood defences", "police reform",
         "prison overcrowding", "youth vote", "rural voters"),
    LIST("cost cuts", "store closures", "fuel costs", "wage deals", "pension scheme",
         "share buyback", "dividend", "debt pile", "credit rating", "bond issue", "currency swings",
         "export orders", "consumer confidence", "holiday sales", "online orders",
         "supply contracts", "raw material prices", "freight rates", "shipping routes",
         "port strikes", "steel tariffs", "crop harvest", "coffee prices", "cocoa prices",
         "insurance claims", "mortgage rates", "housing market", "office vacancies",
         "retail footfall", "airline capacity", "jet fuel", "fleet renewal", "merger talks",
         "activist investor", "board overhaul", "profit warning", "guidance cut",
         "inventory levels", "price war"),
    LIST("sequel", "streaming deal", "award season", "festival circuit", "premiere", "soundtrack",
         "casting", "reshoots", "franchise", "ticket sales", "visual effects", "script",
         "release date", "marketing campaign", "fan reaction", "opening weekend"),
};
/* Particulars of any kind, drawn evenly: what sets one story apart from
 * another of its kind (the harbour, the bakery chain, the jury trial). */
static const char *const *const particulars = LIST(
    "harbour", "vineyard", "pension fund", "shipyard", "steelworks", "railway depot", "ferry route",
    "canal lock", "airport terminal", "border crossing", "river basin", "mountain pass",
    "coastal town", "mining region", "fishing fleet", "wheat harvest", "dairy farms", "orchard",
    "timber mill", "paper mill", "cement plant", "glassworks", "textile factory", "shoe factory",
    "toy maker", "furniture chain", "bakery chain", "brewery", "distillery", "tobacco plant",
    "salt mine", "copper mine", "lithium deposit", "nickel smelter", "gas field", "oil terminal",
    "wind farm", "hydro dam", "tidal project", "geothermal plant", "heat network", "tram line",
    "metro extension", "bus depot", "bridge repair", "tunnel project", "motorway toll", "ring road",
    "bike lanes", "parking rules", "school meals", "university fees", "student loans",
    "nursery places", "care homes", "district hospital", "ambulance service", "fire brigade",
    "coast guard", "weather service", "postal service", "tax office", "land registry",
    "census data", "court backlog", "jury trial", "consumer watchdog", "ombudsman", "city council",
    "county board", "mayor's office", "village hall", "town square", "market hall", "street market",
    "trade fair", "motor show", "air show", "book fair", "art fair", "music festival",
    "food festival", "cycling race", "sailing regatta", "chess tournament", "esports league",
    "youth league", "rowing club", "cricket series", "ski season", "surf contest", "public library",
    "museum wing", "opera house", "concert hall", "theatre company", "dance school",
    "radio station", "local paper", "printing press", "broadcast tower", "warehouse estate",
    "freight hub", "cold storage", "grain silo", "cattle auction", "fish market", "flower market",
    "spice trade", "coffee roaster", "tea estate", "cocoa farms", "sugar refinery", "rice paddies",
    "olive groves", "cotton fields", "rubber plantation", "palm oil", "soy exports", "beef exports",
    "wool prices", "milk prices", "egg prices", "bread prices", "rent arrears", "energy debt",
    "water bills", "phone bills", "broadband vouchers", "bus passes", "rail fares", "air fares",
    "toll charges", "parking fines", "speed cameras", "noise limits", "night flights", "curfew",
    "smoking ban", "alcohol tax", "sugar tax", "plastic ban", "recycling targets", "landfill site",
    "incinerator", "sewage spills", "river pollution", "air quality", "heatwave", "drought",
    "flash floods", "landslide", "storm damage", "crop losses", "locust swarm", "bird flu",
    "swine fever", "measles cases", "flu season", "vaccine drive", "blood supply", "organ donors",
    "nurse shortage", "doctor strike", "pharmacy closures", "drug prices", "generic drugs",
    "patent cliff", "clinical trial", "rare disease", "cancer screening", "dementia care",
    "mental health services", "child benefit", "housing benefit", "state pension", "tax credits",
    "payroll tax", "stamp duty", "property tax", "inheritance tax", "windfall tax", "digital tax",
    "luxury tax", "tourist tax", "cruise ships", "hotel rooms", "holiday lets", "ski resorts",
    "theme park", "zoo visitors", "national park", "forest fires", "tree planting", "peat bogs",
    "wetlands", "coral reef", "whale watching", "bird reserve", "satellite images", "drone footage",
    "body cameras", "facial recognition", "ticket touts", "gig workers", "delivery riders",
    "taxi drivers", "truck drivers", "dock workers", "train drivers", "airline pilots",
    "cabin crew", "farm workers", "fruit pickers", "seasonal visas", "student visas",
    "work permits", "family reunions", "language tests", "citizenship exam", "passport backlog",
    "ID cards", "voter rolls", "polling stations", "postal votes", "ballot design", "exit polls",
    "campaign ads", "party donors", "lobbying rules", "expense claims", "second jobs",
    "ethics code", "whistleblower", "leaked memo", "internal audit", "board minutes",
    "shareholder vote", "annual meeting", "proxy adviser", "pay package", "bonus pool",
    "severance terms", "pension deficit", "credit line", "bridge loan", "rights issue", "spin-off",
    "listing plans", "dual listing", "delisting", "takeover panel", "poison pill", "break fee",
    "due diligence", "earn-out", "escrow account", "trade union", "works council",
    "collective bargaining", "overtime ban", "four-day week", "remote work", "office return",
    "hot desks", "canteen prices", "staff survey", "training scheme", "apprenticeships",
    "graduate hiring", "pay gap report", "diversity targets");
#define STORY_WORDS 8 /* W1..W5 of the domain, W6..W8 particulars */

/* Sentences that tell a story's own words ({W1}..{W5}) and code name {K}. */
static const char *const *const story_lines = LIST(
    "The {W1} [drew|attracted|drew fresh] [scrutiny|attention|interest] from [people who follow|"
    "specialists in] the {W2} [and|as well as] the {W3}.",
    "[People familiar with the plans|Those close to the matter|Insiders] [said|say] the work "
    "[was|had been] [known internally as|code-named] {K}.",
    "[Much|Some] of the [debate|discussion|attention] [has focused|focused] on the {W2} and "
    "[its|the] [effect|impact] on the {W4}.",
    "{LAST} [pointed to|cited|singled out] the {W3} [as|as being] [a key factor|the main "
    "reason|central].",
    "[Questions remain|It is unclear|Doubts remain] [about|over] the {W4}, the {W5} and [the "
    "timing|the cost].",
    "[Questions about|Concerns over] the {W1} [are expected to|will likely|could] [matter|weigh|"
    "figure] in [talks|decisions] on the {W5}.",
    "[The|Its] {W5} had been [a sore point|a point of friction|a concern] [for "
    "months|since last year|for some time], [according to|said] [people briefed on it|one "
    "person involved].",
    "[Critics|Supporters|Local officials] [linked|tied|connected] the {W1} to the {W8}.",
    "[In|Around] the {W7}, [the mood|reaction] was [mixed|muted|upbeat], [according to|said] "
    "{PER2}.",
    "{PER2}, who [has followed|follows|has written about] the {W8} [for years|closely], "
    "[called|described] [it|the move] [a turning point|a test case|long overdue].");

/* The sentence after the lead that most reports of a story carry: its
 * particulars ({W6} {W7}), one form per story, worded by each outlet. */
/* What one outlet adds of its own: an analyst it called, a local angle.
 * {AP} {AF} {AW} {ACITY} are drawn afresh for each article, so reports of
 * one story differ by more than their wording, as real ones do. */
static const char *const *const article_lines = LIST(
    "\"[This is|It is] [a big deal|significant|no surprise|a warning sign] for the {AW},\" said "
    "{AP}, [an analyst|a partner|an economist|a researcher] at {AF}.",
    "{AP} of {AF} [said|noted|argued] the {AW} [would|could|might] [feel|see] the [effects|impact] "
    "[first|soon|within months].",
    "[A|One] [resident|shop owner|commuter|trader] in {ACITY} [told|said to] [reporters|this "
    "outlet] that the {AW} [mattered more|was the real issue|deserved more attention].",
    "[Earlier|Late] [this month|last year], [the|a] {AW} [in|near] {ACITY} [drew|had drawn] "
    "[similar|comparable] [attention|criticism|interest].",
    "[Readers|Listeners|Viewers] [wrote in|called in|responded] [in numbers|quickly], [many|most] "
    "[asking|worried] about the {AW}.",
    "[For|In] {ACITY}, [where|as] the {AW} [is|remains] [a local concern|a daily worry|part of "
    "life], the [news|move] [landed|was received] [quietly|with interest|with some alarm].",
    "{AP}, [who runs|who advises|who chairs] [a group|a firm|a committee] [focused on|working on] "
    "the {AW}, [said|told] [us|reporters] [it was too early to judge|more detail was needed|the "
    "timing was odd].");

static const char *const *const story_context =
    LIST("[The|This] [move|decision|news] [also|] [bears on|touches on|matters for] the {W6} and "
         "the {W7}, [people involved|those close to it|local officials] said.",
         "[Attention|Much of the attention|Reaction] [quickly|soon|] turned to the {W6} [and|as "
         "well as] the {W7}.",
         "[It|The development] [comes|came] amid [questions|pressure|scrutiny] over the {W6} and "
         "the {W7}.",
         "[Coverage|Discussion] [centred|focused] on the {W6}, the {W7} and [what happens "
         "next|the next steps].");

/* Sentences any story of a domain may carry: background, comment, credit. */
static const char *const *const background[NDOMAINS] = {
    LIST("\"[We are|We're] [still early|only at the beginning] in [this|the AI] "
         "[transition|shift],\" said {PER}, {ROLE} at {A}.",
         "{A} [did not respond to a request for comment|declined to comment] [beyond its "
         "statement|on the details].",
         "{A} [did not disclose|declined to disclose] [financial terms|the price|how many "
         "customers it has].",
         "[The announcement|The news] [comes|came] [amid|as] [a broader|an industry-wide] "
         "[push|race] [into|to build] [generative AI|AI infrastructure].",
         "[Big tech companies|Tech giants] are [expected to spend|on track to spend] more "
         "than $400 billion on [AI|data centers] this year."),
    LIST("[Kick-off|The match|The start] [was|is] at {N}pm local time.",
         "[Television|Streaming] [rights|coverage] [drew|attracted] {N} million viewers."),
    LIST("{PER} [did not respond to requests for comment|declined to comment].",
         "[The government|Officials] [declined|did not want] to comment on the [details|timing]."),
    LIST("[Analysts|Economists] [polled|surveyed] by {FIRM} had expected a [smaller|larger] "
         "[move|change]."),
    LIST("[Cinemas|Theatres] [expect|are hoping for] a [busy|strong] [holiday|summer] "
         "season."),
};

/* ---- stories ---- */

/* Families whose leads are different kinds of story (a probe, export rules
 * or a fine; a tennis final or a Grand Prix): a story is one kind, its
 * headline the one of the same index, and a fact or development marked
 * "<02>" belongs only to kinds 0 and 2. */
static bool family_shaped(const struct family *f)
{
    static const char *const shaped[] = {"regulation", "budget",   "robotics",  "markets",
                                         "corporate",  "security", "tennis-f1", "space"};
    for (size_t k = 0; k < COUNT(shaped); k++)
        if (strcmp(f->name, shaped[k]) == 0)
            return true;
    return false;
}

#define GEN_OUTLETS 200    /* outlet-0 .. outlet-199, as the brief command expects */
#define STORY_MAX_SIZE 300 /* the biggest story: every outlet and then some */
#define STORY_MAX_DAYS 7
#define SYNDICATED_SHARE 0.08 /* articles that are another outlet's copy */

struct story {
    size_t id;
    const struct family *fam;
    size_t fam_index;
    int born;                       /* day index */
    int life;                       /* days it is reported on */
    unsigned count[STORY_MAX_DAYS]; /* articles on each day of its life */
    uint64_t seed;
    unsigned fact_mask;             /* the family's facts this story has */
    size_t shape;                   /* which of its family's kinds of story (see family_shaped) */
    const char *words[STORY_WORDS]; /* its own words (story_words) */
    char own_place[32];             /* when set, {W8}: a coined place */
    char code[16];                  /* and code name */
    unsigned line_mask;             /* the story_lines it has */
    size_t context;                 /* its story_context sentence */
    char a[48], b[48], c[48], co2[48], product[40], per[3][48], firm[48], research[48];
    char team[3][48], event[64], film[2][48], date[24], height[16];
    char price[4][16], rate[2][12];
    char last_name[32];
    const char *role, *place, *city, *country, *reg, *polrole, *x, *x2, *site, *bank, *index, *exch,
        *region, *party, *party2, *month, *quarter;
    double money[4], cap[2], pct[2];
    int currency, year, year0, s1, s2;
    char *copy_title, *copy_text; /* its latest article, for syndicated copies */
};

/* Whether template t fits the story's kind; *body is t without its mark. */
static bool fits_shape(const struct story *s, const char *t, const char **body)
{
    *body = t;
    if (t[0] != '<')
        return true;
    const char *close = strchr(t, '>');
    *body = close ? close + 1 : t;
    if (s->shape == SIZE_MAX)
        return true;
    for (const char *p = t + 1; p < close; p++)
        if ((size_t)(*p - '0') == s->shape)
            return true;
    return false;
}

/* A coined proper noun ("Velkari", "Brisomo"): the long tail of names a
 * real corpus has, which no word list gives. */
static const char syllables[][4] = {
    "ka", "to", "ri",  "mo", "se",  "an", "vel", "dor", "pi", "lu",  "xen", "qua", "bri", "sto",
    "ne", "zo", "tra", "mi", "gal", "fe", "ba",  "nor", "li", "ve",  "sha", "ur",  "din", "co",
    "em", "ho", "ja",  "ku", "ol",  "pe", "ru",  "sa",  "ti", "wen", "yo",  "zu",  "ar",  "del"};

/* two to four syllables: tens of thousands of names, as many as a month of
 * news has (the word lists alone would give the corpus too few words) */
static const char *coin(char *out, size_t cap)
{
    size_t u = below(20), parts = u < 8 ? 2 : u < 17 ? 3 : 4, len = 0;
    for (size_t i = 0; i < parts && len + 4 < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s", syllables[below(COUNT(syllables))]);
    out[0] = (char)(out[0] - 'a' + 'A');
    return out;
}

/* a place of a coined name: "Velkari estate" */
static const char *coined_place(char *out, size_t cap)
{
    static const char *const kinds[] = {"plant",  "estate", "scheme",   "project", "works",
                                        "valley", "line",   "district", "bay",     "hills"};
    char word[16];
    snprintf(out, cap, "%s %s", coin(word, sizeof(word)), kinds[below(COUNT(kinds))]);
    return out;
}

/* a stem of the list, or now and then (share `coined`) a coined one */
static const char *stem_or_coined(const char *const *stems, size_t n, double coined, char *buf,
                                  size_t cap)
{
    return unif() < coined ? coin(buf, cap) : stems[below(n)];
}

static const char *from_list(const char *const *l, size_t k)
{
    size_t n = list_len(l);
    return n ? l[k % n] : "";
}

/* a company of a list (Zipf: the first are named most), or an invented one */
static void pick_company(char *out, size_t cap, const char *const *l, const char *const *trades,
                         double invented, const char *avoid1, const char *avoid2)
{
    char word[16];
    for (int tries = 0; tries < 8; tries++) {
        if (trades && unif() < invented)
            snprintf(out, cap, "%s %s",
                     stem_or_coined(name_stems, COUNT(name_stems), 0.5, word, sizeof(word)),
                     from_list(trades, below(list_len(trades))));
        else if (l)
            snprintf(out, cap, "%s", l[zipf(list_len(l))]);
        else
            snprintf(out, cap, "%s", tech_cos[zipf(COUNT(tech_cos))]);
        if (strcmp(out, avoid1) != 0 && strcmp(out, avoid2) != 0)
            return;
    }
}

static void pick_person(char *out, size_t cap, char *last, size_t last_cap)
{
    char word[16];
    const char *l = stem_or_coined(last_names, COUNT(last_names), 0.3, word, sizeof(word));
    snprintf(out, cap, "%s %s", first_names[zipf(COUNT(first_names))], l);
    if (last)
        snprintf(last, last_cap, "%s", l);
}

/* two significant figures, as reported figures are */
static double round2(double v)
{
    double p = pow(10.0, floor(log10(v)) - 1);
    return floor(v / p + 0.5) * p;
}

static double log_uniform(const double range[2])
{
    return range[0] * exp(unif() * log(range[1] / range[0]));
}

static void story_init(struct story *s, size_t id, size_t fam_index, int day)
{
    const struct family *f = &families[fam_index];
    memset(s, 0, sizeof(*s));
    s->id = id;
    s->fam = f;
    s->fam_index = fam_index;
    s->born = day;
    s->seed = next_rand();
    s->fact_mask = (unsigned)next_rand() | (unsigned)next_rand(); /* about 3 in 4 facts */
    s->shape = family_shaped(f) ? below(list_len(f->leads)) : SIZE_MAX;
    const char *const *sw = story_words[f->domain];
    size_t nsw = list_len(sw);
    for (size_t k = 0; k < STORY_WORDS; k++) {
        bool taken;
        do {
            s->words[k] = k < 5 ? sw[zipf(nsw)] : particulars[below(list_len(particulars))];
            taken = false;
            for (size_t j = 0; j < k; j++)
                taken |= s->words[j] == s->words[k];
        } while (taken);
    }
    coin(s->code, sizeof(s->code));
    if (unif() < 0.4) /* a place of its own (stories move in memory: kept by value) */
        coined_place(s->own_place, sizeof(s->own_place));
    s->line_mask = (unsigned)(next_rand() & next_rand()) | 1u; /* about a quarter, and one */
    s->context = below(list_len(story_context));
    pick_company(s->a, sizeof(s->a), f->a_list, f->trades, f->invented, "", "");
    pick_company(s->b, sizeof(s->b), f->b_list, NULL, 0, s->a, "");
    pick_company(s->c, sizeof(s->c), f->c_list, NULL, 0, s->a, s->b);
    pick_company(s->co2, sizeof(s->co2), NULL, FIRM_TRADES, 1.0, s->a, "");
    const char *tag = product_tags[below(COUNT(product_tags))];
    char word[16];
    snprintf(s->product, sizeof(s->product), "%s%s%s",
             stem_or_coined(product_stems, COUNT(product_stems), 0.5, word, sizeof(word)),
             fam_index == 0 && unif() < 0.5 ? "-" : " ", tag);
    pick_person(s->per[0], sizeof(s->per[0]), s->last_name, sizeof(s->last_name));
    pick_person(s->per[1], sizeof(s->per[1]), NULL, 0);
    pick_person(s->per[2], sizeof(s->per[2]), NULL, 0);
    static const char *const firm_kinds[] = {"Capital", "Securities", "Economics", "Markets"};
    snprintf(s->firm, sizeof(s->firm), "%s %s", name_stems[below(COUNT(name_stems))],
             firm_kinds[below(COUNT(firm_kinds))]);
    snprintf(s->research, sizeof(s->research), "%s %s", name_stems[below(COUNT(name_stems))],
             unif() < 0.5 ? "Research" : "Insights");
    for (int t = 0; t < 3; t++)
        snprintf(s->team[t], sizeof(s->team[t]), "%s %s",
                 unif() < 0.4   ? cities[below(COUNT(cities))]
                 : unif() < 0.5 ? coin(word, sizeof(word))
                                : name_stems[zipf(COUNT(name_stems))],
                 team_mascots[below(COUNT(team_mascots))]);
    if (s->shape == SIZE_MAX ? unif() < 0.5 : s->shape == 0)
        snprintf(s->event, sizeof(s->event), "the %s Open", cities[below(COUNT(cities))]);
    else
        snprintf(s->event, sizeof(s->event), "the %s Grand Prix",
                 countries[below(COUNT(countries))]);
    if (strncmp(s->event, "the the ", 8) == 0)
        memmove(s->event + 4, s->event + 8, strlen(s->event + 8) + 1);
    for (int k = 0; k < 2; k++)
        snprintf(s->film[k], sizeof(s->film[k]), "The %s %s", film_adjs[below(COUNT(film_adjs))],
                 film_nouns[below(COUNT(film_nouns))]);
    time_t when = (time_t)(time_from_civil(2026, 1, 1, 0, 0, 0) +
                           (int64_t)(day + 7 + (int)below(40)) * 86400);
    struct tm tm;
    gmtime_r(&when, &tm);
    snprintf(s->date, sizeof(s->date), "%s %d", months[tm.tm_mon % 12], tm.tm_mday);
    snprintf(s->height, sizeof(s->height), "1.%02d metres", 50 + (int)below(40));
    snprintf(s->price[0], sizeof(s->price[0]), "%.2f", 0.1 + unif() * 15);
    snprintf(s->price[1], sizeof(s->price[1]), "%d", 5 + (int)below(45));
    snprintf(s->price[2], sizeof(s->price[2]), "%d,%03d", 20 + (int)below(130),
             (int)below(10) * 100);
    snprintf(s->price[3], sizeof(s->price[3]), "%.2f", 10 + unif() * 190);
    snprintf(s->rate[0], sizeof(s->rate[0]), "%.2f%%", 0.5 + (double)below(21) * 0.25);
    snprintf(s->rate[1], sizeof(s->rate[1]), "%.1f%%", 1.0 + unif() * 4);
    s->role = roles[below(COUNT(roles))];
    s->place = dc_places[below(COUNT(dc_places))];
    s->city = cities[below(COUNT(cities))];
    s->country = countries[zipf(COUNT(countries))];
    s->reg = regulators[below(COUNT(regulators))];
    s->polrole = pol_roles[below(COUNT(pol_roles))];
    size_t nd = list_len(f->details), xi = zipf(nd ? nd : 1);
    s->x = nd ? f->details[xi] : "";
    s->x2 = nd > 1 ? f->details[(xi + 1 + below(nd - 1)) % nd] : s->x;
    s->site = launch_sites[below(COUNT(launch_sites))];
    s->bank = banks[below(COUNT(banks))];
    s->index = indexes[below(COUNT(indexes))];
    s->exch = exchanges[below(COUNT(exchanges))];
    s->region = regions[below(COUNT(regions))];
    size_t pi = below(COUNT(parties));
    s->party = parties[pi];
    s->party2 = parties[(pi + 1 + below(COUNT(parties) - 1)) % COUNT(parties)];
    s->month = months[below(COUNT(months))];
    s->quarter = quarters[below(COUNT(quarters))];
    for (int k = 0; k < 4; k++)
        s->money[k] = round2(log_uniform(f->money[k]));
    if (strcmp(f->name, "funding") == 0) /* a valuation is some multiple of the round */
        s->money[1] = round2(s->money[0] * (4 + unif() * 30));
    if (f->cap[1] > 0) {
        s->cap[0] = round2(log_uniform(f->cap));
        s->cap[1] = round2(s->cap[0] * (0.5 + unif() * 1.5));
    }
    /* percentages as the kind of news has them: a market moves by a few,
     * a vote share is tens, a growth rate anything up to tens */
    double plo = 2, phi = 45;
    if (f->domain == DOM_BUSINESS)
        plo = 0.2, phi = 6;
    else if (f->domain == DOM_POLITICS)
        plo = 15, phi = 55;
    s->pct[0] = round2(plo + unif() * (phi - plo));
    s->pct[1] = round2(plo + unif() * (phi - plo));
    double u = unif();
    s->currency = u < 0.75 ? 0 : u < 0.9 ? 1 : 2; /* $ € £ */
    if (f->domain == DOM_POLITICS && s->currency == 0)
        s->currency = 1;
    s->year = 2026 + 1 + (int)below(3);
    s->year0 = 2012 + (int)below(13);
    s->s1 = 1 + (int)below(4);
    s->s2 = (int)below((size_t)s->s1);
}

static void story_free(struct story *s)
{
    free(s->copy_title);
    free(s->copy_text);
    s->copy_title = s->copy_text = NULL;
}

/* ---- writing ---- */

/* What an article's wording depends on besides its story. */
struct wording {
    const struct story *s;
    size_t outlet;
    int day;       /* the article's day index */
    uint64_t tkey; /* the template being expanded */
    int group;     /* choice groups seen in it so far */
    int digit;     /* {N} seen in it so far */
};

/* A choice of wording: often the story's own (the outlets rewrite one
 * press release or wire report), now and then the outlet's habit, else
 * any. A choice marked "[=up|down]" is a fact of the story: the same in
 * every report and every template with that many alternatives. */
static size_t choose(struct wording *w, size_t n, bool fact)
{
    if (fact)
        return (size_t)(hash3(w->s->seed, n, 77) % n);
    int g = w->group++;
    uint64_t r = next_rand() % 100;
    if (r < 45)
        return (size_t)(hash3(w->s->seed, w->tkey, (uint64_t)g) % n);
    if (r < 65)
        return (size_t)(hash3(w->outlet + 1, w->tkey, (uint64_t)g) % n);
    return below(n);
}

static size_t habit(const struct wording *w, uint64_t what, size_t n)
{
    return (size_t)(hash3(w->outlet + 7, what, 99) % n);
}

static void add_number(struct buf *out, double v)
{
    if (v >= 10 || v == floor(v))
        buf_addf(out, "%.0f", v);
    else
        buf_addf(out, "%.1f", v);
}

static void add_money(struct buf *out, const struct wording *w, double millions)
{
    static const char *const sym[] = {"$", "€", "£"}, *const word[] = {"dollars", "euros",
                                                                       "pounds"};
    int cur = w->s->currency;
    size_t style = habit(w, 1, 4);
    if (millions >= 1000) {
        double b = millions / 1000;
        if (style == 3 && cur == 0)
            buf_addstr(out, "US$");
        else if (style != 2)
            buf_addstr(out, sym[cur]);
        add_number(out, b);
        buf_addstr(out, style == 1 ? "bn" : " billion");
        if (style == 2)
            buf_addf(out, " %s", word[cur]);
    } else {
        if (style != 2)
            buf_addstr(out, sym[cur]);
        add_number(out, millions);
        buf_addstr(out, style == 1 ? "m" : " million");
        if (style == 2)
            buf_addf(out, " %s", word[cur]);
    }
}

static void add_capacity(struct buf *out, const struct wording *w, double mw)
{
    size_t style = habit(w, 2, 3);
    if (mw >= 1000 && style != 2) {
        add_number(out, mw / 1000);
        buf_addstr(out, style == 0 ? " GW" : " gigawatts");
    } else if (mw >= 1000) {
        buf_addf(out, "%.0f,%03.0f MW", floor(mw / 1000), fmod(mw, 1000));
    } else {
        add_number(out, mw);
        buf_addstr(out, style == 1 ? " megawatts" : " MW");
    }
}

static void add_percent(struct buf *out, const struct wording *w, double p)
{
    add_number(out, p);
    static const char *const forms[] = {"%", "%", " percent", " per cent"};
    buf_addstr(out, forms[habit(w, 3, COUNT(forms))]);
}

static void expand(struct buf *out, const char *t, size_t len, struct wording *w);

static void add_key(struct buf *out, const char *key, size_t klen, struct wording *w)
{
    const struct story *s = w->s;
#define IS(k) (klen == sizeof(k) - 1 && memcmp(key, k, klen) == 0)
    const char *v = NULL;
    char coined[32];
    if (IS("A"))
        v = s->a;
    else if (IS("B"))
        v = s->b;
    else if (IS("C"))
        v = s->c;
    else if (IS("CO2"))
        v = s->co2;
    else if (IS("P"))
        v = s->product;
    else if (IS("PER"))
        v = s->per[0];
    else if (IS("PER2"))
        v = s->per[1];
    else if (IS("MGR"))
        v = s->per[2];
    else if (IS("LAST"))
        v = s->last_name;
    else if (IS("ROLE"))
        v = s->role;
    else if (IS("PLACE"))
        v = s->place;
    else if (IS("CITY"))
        v = s->city;
    else if (IS("COUNTRY"))
        v = s->country;
    else if (IS("REG"))
        v = s->reg;
    else if (IS("POLROLE"))
        v = s->polrole;
    else if (IS("X"))
        v = s->x;
    else if (IS("X2"))
        v = s->x2;
    else if (IS("SITE"))
        v = s->site;
    else if (IS("BANK"))
        v = s->bank;
    else if (IS("INDEX"))
        v = s->index;
    else if (IS("EXCH"))
        v = s->exch;
    else if (IS("REGION"))
        v = s->region;
    else if (IS("PARTY"))
        v = s->party;
    else if (IS("PARTY2"))
        v = s->party2;
    else if (IS("MONTH"))
        v = s->month;
    else if (IS("Q"))
        v = s->quarter;
    else if (IS("DATE"))
        v = s->date;
    else if (IS("HEIGHT"))
        v = s->height;
    else if (IS("FIRM"))
        v = s->firm;
    else if (IS("RESEARCH"))
        v = s->research;
    else if (IS("T1"))
        v = s->team[0];
    else if (IS("T2"))
        v = s->team[1];
    else if (IS("T3"))
        v = s->team[2];
    else if (IS("EVENT"))
        v = s->event;
    else if (IS("FILM"))
        v = s->film[0];
    else if (IS("FILM2"))
        v = s->film[1];
    else if (IS("PRICE"))
        v = s->price[0];
    else if (IS("PRICE2"))
        v = s->price[1];
    else if (IS("PRICE3"))
        v = s->price[2];
    else if (IS("PRICE4"))
        v = s->price[3];
    else if (IS("RATE"))
        v = s->rate[0];
    else if (IS("RATE2"))
        v = s->rate[1];
    else if (IS("W8") && s->own_place[0])
        v = s->own_place;
    else if (klen == 2 && key[0] == 'W' && key[1] >= '1' && key[1] < '1' + STORY_WORDS)
        v = s->words[key[1] - '1'];
    else if (IS("K"))
        v = s->code;
    else if (IS("AW") && unif() < 0.3)
        v = coined_place(coined, sizeof(coined));
    else if (IS("AW"))
        v = unif() < 0.5 ? particulars[below(list_len(particulars))]
                         : from_list(story_words[s->fam->domain],
                                     below(list_len(story_words[s->fam->domain])));
    else if (IS("ACITY") && unif() < 0.7)
        v = unif() < 0.7 ? cities[below(COUNT(cities))] : dc_places[below(COUNT(dc_places))];
    else if (IS("ACITY"))
        v = coin(coined, sizeof(coined)); /* a town of its own */
    if (v) {
        buf_addstr(out, v);
    } else if (IS("M") || IS("M2") || IS("M3") || IS("M4")) {
        add_money(out, w, s->money[klen == 1 ? 0 : key[1] - '1']);
    } else if (IS("CAP") || IS("CAP2")) {
        add_capacity(out, w, s->cap[klen == 3 ? 0 : 1]);
    } else if (IS("PCT") || IS("PCT2")) {
        add_percent(out, w, s->pct[klen == 3 ? 0 : 1]);
    } else if (IS("N")) { /* a digit the story keeps for this place */
        buf_addch(out, (char)('2' + hash3(s->seed, w->tkey, (uint64_t)w->digit++) % 8));
    } else if (IS("WD")) {
        /* 2026-01-01 is day 20454 since the epoch, a Thursday */
        buf_addstr(out, weekdays[(size_t)(20454 + w->day) % 7]);
    } else if (IS("DAYREF")) {
        static const char *const refs[] = {"on {WD}", "on {WD}", "late on {WD}", "this week",
                                           "on {WD}", "",        "on {WD}",      "on {WD}"};
        const char *r = refs[habit(w, 4, COUNT(refs))];
        if (strcmp(r, "this week") == 0 && w->day != s->born)
            r = "on {WD}";
        expand(out, r, strlen(r), w);
    } else if (IS("YEAR")) {
        buf_addf(out, "%d", s->year);
    } else if (IS("YEAR0")) {
        buf_addf(out, "%d", s->year0);
    } else if (IS("S1")) {
        buf_addf(out, "%d", s->s1);
    } else if (IS("S2")) {
        buf_addf(out, "%d", s->s2);
    } else if (IS("AF")) {
        char word[16];
        static const char *const kinds[] = {"Capital",    "Research",  "Partners", "Advisory",
                                            "Securities", "Institute", "Economics"};
        buf_addf(out, "%s %s",
                 stem_or_coined(name_stems, COUNT(name_stems), 0.5, word, sizeof(word)),
                 kinds[below(COUNT(kinds))]);
    } else if (IS("REP") || IS("ED") || IS("AP")) {
        char name[48];
        pick_person(name, sizeof(name), NULL, 0);
        buf_addstr(out, name);
    } else {
        buf_add(out, key, klen); /* a template typo shows in the output */
    }
#undef IS
}

/* Writes template t with the story's facts and the outlet's wording. */
static void expand(struct buf *out, const char *t, size_t len, struct wording *w)
{
    const char *end = t + len;
    while (t < end) {
        if (*t == '{') {
            const char *close = memchr(t, '}', (size_t)(end - t));
            if (!close)
                break;
            add_key(out, t + 1, (size_t)(close - t - 1), w);
            t = close + 1;
        } else if (*t == '[') {
            const char *close = memchr(t, ']', (size_t)(end - t));
            if (!close)
                break;
            bool fact = t[1] == '=';
            size_t n = 1;
            for (const char *p = t + 1; p < close; p++)
                n += *p == '|';
            size_t k = choose(w, n, fact);
            const char *alt = t + 1 + fact;
            for (size_t i = 0; i < k; i++)
                alt = (const char *)memchr(alt, '|', (size_t)(close - alt)) + 1;
            const char *alt_end = memchr(alt, '|', (size_t)(close - alt));
            if (!alt_end)
                alt_end = close;
            expand(out, alt, (size_t)(alt_end - alt), w);
            t = close + 1;
        } else {
            const char *next = t;
            while (next < end && *next != '{' && *next != '[')
                next++;
            buf_add(out, t, (size_t)(next - t));
            t = next;
        }
    }
}

/* One sentence or headline from a template: first letter in capitals,
 * the spaces an empty choice leaves behind taken out. */
static void add_sentence(struct buf *out, const char *t, uint64_t tkey, struct wording *w)
{
    struct buf sb = BUF_INIT;
    w->tkey = tkey;
    w->group = 0;
    w->digit = 0;
    expand(&sb, t, strlen(t), w);
    char *p = sb.ptr, *q = sb.ptr;
    for (; *p; p++) {
        if (*p == ' ' && (q == sb.ptr || q[-1] == ' ' || p[1] == ',' || p[1] == '.' ||
                          p[1] == ' ' || p[1] == '\0'))
            continue;
        *q++ = *p;
    }
    *q = '\0';
    char *first = sb.ptr + (sb.ptr[0] == '"');
    if (*first >= 'a' && *first <= 'z')
        *first = (char)(*first - 'a' + 'A');
    if (out->len && out->ptr[out->len - 1] != ' ')
        buf_addch(out, ' ');
    buf_addstr(out, sb.ptr);
    buf_release(&sb);
}

/* The outlet that carries an article: outlets publish Zipf-many articles,
 * and most keep to a beat (technology, sport, business) or cover all. */
static size_t pick_outlet(enum domain d)
{
    size_t o = 0;
    for (int tries = 0; tries < 12; tries++) {
        o = zipf(GEN_OUTLETS);
        size_t beat = (size_t)(hash3(o, 11, 0) % 10);
        bool ok = beat < 5 || (beat < 8 && d == DOM_TECH) || (beat == 8 && d == DOM_SPORT) ||
                  (beat == 9 && (d == DOM_BUSINESS || d == DOM_TECH));
        if (ok)
            return o;
    }
    return o;
}

/* Writes one article of story s on day `day` into title and text. */
static void compose(struct story *s, size_t outlet, int day, struct buf *title, struct buf *text)
{
    const struct family *f = s->fam;
    struct wording w = {s, outlet, s->born, 0, 0, 0};
    uint64_t fk = (uint64_t)s->fam_index * 1000;
    bool later = day > s->born;
    size_t nt = list_len(f->titles), nl = list_len(f->leads), nf = list_len(f->facts),
           nfo = list_len(f->follows), nb = list_len(background[f->domain]);
    const char *body;
    /* how much the outlet writes: a wire summary, a report or a long piece */
    size_t style = (size_t)(hash3(outlet, 12, 0) % 20), want;
    if (style < 7)
        want = 1 + below(3);
    else if (style < 16)
        want = 3 + below(4);
    else
        want = 6 + below(7);
    if (unif() < 0.03) /* now and then a feature, far longer */
        want += 6 + below(10);
    /* the sentences this article may tell, in its own order: keys 300 +
     * development, 400 + fact, 500 + background, 600 + the story's own */
    size_t pool[64], np = 0, follows = 0;
    for (size_t k = 0; k < nf && np < 64; k++)
        if ((s->fact_mask & (1u << k)) && fits_shape(s, f->facts[k], &body))
            pool[np++] = 400 + k;
    if (later)
        for (size_t k = 0; k < nfo && np < 64; k++)
            if (fits_shape(s, f->follows[k], &body))
                pool[np++] = 300 + k, follows++;
    for (size_t k = 0; k < nb && np < 64; k++)
        if (unif() < 0.15)
            pool[np++] = 500 + k;
    for (size_t k = 0; k < list_len(story_lines) && np < 64; k++)
        if (s->line_mask & (1u << k))
            pool[np++] = 600 + k;
    for (size_t k = np; k > 1; k--) {
        size_t j = below(k), x = pool[k - 1];
        pool[k - 1] = pool[j];
        pool[j] = x;
    }
    /* on later days half the articles lead with a development */
    size_t first_follow = SIZE_MAX;
    if (later && follows && unif() < 0.5)
        for (size_t k = 0; k < np && first_follow == SIZE_MAX; k++)
            if (pool[k] >= 300 && pool[k] < 400) {
                first_follow = pool[k];
                pool[k] = pool[0];
                pool[0] = first_follow;
            }
    /* headline: the development's sentence without its full stop, or one
     * of the family's headlines (of the story's kind when it has kinds) */
    if (first_follow != SIZE_MAX) {
        struct buf h = BUF_INIT;
        w.day = day;
        fits_shape(s, f->follows[first_follow - 300], &body);
        add_sentence(&h, body, fk + first_follow, &w);
        if (h.len && h.ptr[h.len - 1] == '.')
            buf_truncate(&h, h.len - 1);
        buf_addstr(title, h.ptr);
        buf_release(&h);
        w.day = s->born;
    } else {
        size_t ti = s->shape != SIZE_MAX && s->shape < nt ? s->shape : choose(&w, nt, false);
        add_sentence(title, f->titles[ti], fk + 100 + ti, &w);
    }
    size_t used = 0;
    if (first_follow != SIZE_MAX) {
        w.day = day;
        add_sentence(text, body, fk + first_follow, &w);
        w.day = s->born;
        used = 1;
    }
    size_t li = s->shape != SIZE_MAX ? s->shape : choose(&w, nl, false);
    add_sentence(text, f->leads[li], fk + 200 + li, &w);
    if (want > 1 + used && unif() < 0.7) {
        add_sentence(text, story_context[s->context], 700 + s->context, &w);
        used++;
    }
    for (size_t k = used, told = 1 + used; k < np && told < want; k++, told++) {
        size_t key = pool[k];
        const char *t = key >= 600   ? story_lines[key - 600]
                        : key >= 500 ? background[f->domain][key - 500]
                        : key >= 400 ? f->facts[key - 400]
                                     : f->follows[key - 300];
        fits_shape(s, t, &body);
        w.day = key >= 300 && key < 400 ? day : s->born;
        add_sentence(text, body, fk + key, &w);
    }
    /* what this outlet adds of its own, more in longer pieces */
    size_t own = want >= 6 ? 1 + below(3) : want >= 3 ? below(3) : below(2) * below(2);
    for (size_t k = 0; k < own; k++) {
        size_t a = below(list_len(article_lines));
        add_sentence(text, article_lines[a], 800 + a, &w);
    }
    /* wire copy carries its credit line */
    if (hash3(outlet, 13, 0) % 6 == 0) {
        w.day = day;
        add_sentence(text, "[Reporting|Additional reporting] by {REP}; [editing|edited] by {ED}.",
                     900, &w);
    }
}

/* A syndicated copy: the same article under another outlet, now and then
 * with an updated headline, a sentence cut or a line added. */
static void near_copy(const struct story *s, struct buf *title, struct buf *text)
{
    buf_addstr(title, s->copy_title);
    buf_addstr(text, s->copy_text);
    size_t how = below(10);
    if (how == 5 || how == 6) {
        buf_reset(title);
        buf_addf(title, "%s%s", how == 5 ? "UPDATE 1-" : "", s->copy_title);
        if (how == 6)
            buf_addstr(title, " - sources");
    } else if (how == 7) { /* the last sentence cut */
        char *last_stop = NULL;
        for (char *p = text->ptr; p + 1 < text->ptr + text->len; p++)
            if ((p[0] == '.' || p[0] == '"') && p[1] == ' ')
                last_stop = p;
        if (last_stop)
            buf_truncate(text, (size_t)(last_stop - text->ptr) + 1);
    } else if (how == 8) {
        buf_addstr(text, " This story has been updated with more details.");
    } else if (how == 9) {
        buf_addstr(text, " (Syndicated from a wire service.)");
    }
}

static void write_line(FILE *f, size_t doc, const char *title, const char *text, int64_t t,
                       size_t outlet, size_t story)
{
    cJSON *o = cJSON_CreateObject();
    char id[32], when[21], src[32];
    snprintf(id, sizeof(id), "%zu", doc);
    time_format_iso(t, when);
    snprintf(src, sizeof(src), "outlet-%zu", outlet);
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "title", title);
    cJSON_AddStringToObject(o, "text", text);
    cJSON_AddStringToObject(o, "published", when);
    cJSON_AddStringToObject(o, "source", src);
    cJSON_AddNumberToObject(o, "cluster", (double)story);
    char *line = cJSON_PrintUnformatted(o);
    fprintf(f, "%s\n", line);
    free(line);
    cJSON_Delete(o);
}

/* A new story's size (Pareto, alpha 1.15: more than half are one report,
 * a few are carried by most outlets) and its days (big stories run on,
 * each day about half the day before). */
static void plan_story(struct story *s)
{
    double size = floor(pow(1.0 - unif(), -1.0 / 1.15));
    size_t n = size > STORY_MAX_SIZE ? STORY_MAX_SIZE : (size_t)size;
    s->life = 1;
    if (n >= 5)
        for (s->life = 2; s->life < STORY_MAX_DAYS && unif() < 0.5;)
            s->life++;
    else if (n >= 2 && unif() < 0.4)
        s->life = 2;
    double total = 0, share[STORY_MAX_DAYS];
    for (int d = 0; d < s->life; d++)
        total += share[d] = pow(0.5, d);
    size_t given = 0;
    for (int d = s->life - 1; d >= 1; d--) {
        s->count[d] = (unsigned)floor((double)n * share[d] / total);
        given += s->count[d];
    }
    s->count[0] = (unsigned)(n - given);
}

static int cmd_gen(size_t n, int days, unsigned seed, const char *path)
{
    rng ^= (uint64_t)seed * 0x2545F4914F6CDD1DULL;
    FILE *f = fopen(path, "w");
    if (!f || days < 1)
        return 1;
    int64_t start = time_from_civil(2026, 1, 1, 0, 0, 0);
    size_t per_day = n / (size_t)days, doc = 0, story_id = 0;
    double wsum = 0;
    for (size_t k = 0; k < COUNT(families); k++)
        wsum += families[k].weight;
    struct story *live = NULL; /* stories still being reported */
    size_t nlive = 0, cap = 0;
    size_t *slots = NULL, slot_cap = 0;
    struct buf title = BUF_INIT, text = BUF_INIT;
    for (int d = 0; d < days && doc < n; d++) {
        size_t target = d == days - 1 ? n - doc : per_day;
        size_t ns = 0;
        /* stories born before today that go on today */
        for (size_t i = 0; i < nlive; i++) {
            unsigned c = live[i].count[d - live[i].born];
            for (unsigned k = 0; k < c && ns < target; k++) {
                XGROW(slots, ns + 1, slot_cap);
                slots[ns++] = i;
            }
        }
        /* today's new stories fill the rest */
        while (ns < target) {
            XGROW(live, nlive + 1, cap);
            struct story *s = &live[nlive];
            double u = unif() * wsum;
            size_t fi = 0;
            while (fi + 1 < COUNT(families) && u >= families[fi].weight)
                u -= families[fi++].weight;
            story_init(s, story_id++, fi, d);
            plan_story(s);
            if (s->count[0] > target - ns)
                s->count[0] = (unsigned)(target - ns);
            if (s->count[0] == 0)
                s->count[0] = 1;
            for (unsigned k = 0; k < s->count[0]; k++) {
                XGROW(slots, ns + 1, slot_cap);
                slots[ns++] = nlive;
            }
            nlive++;
        }
        for (size_t k = ns; k > 1; k--) { /* the day's articles interleave */
            size_t j = below(k), x = slots[k - 1];
            slots[k - 1] = slots[j];
            slots[j] = x;
        }
        for (size_t a = 0; a < ns && doc < n; a++) {
            struct story *s = &live[slots[a]];
            int64_t t = start + (int64_t)d * 86400 + (int64_t)(a * 86400 / ns);
            size_t outlet = pick_outlet(s->fam->domain);
            buf_reset(&title);
            buf_reset(&text);
            if (s->copy_text && unif() < SYNDICATED_SHARE) {
                near_copy(s, &title, &text);
            } else {
                compose(s, outlet, d, &title, &text);
                free(s->copy_title);
                free(s->copy_text);
                s->copy_title = xstrdup(title.ptr);
                s->copy_text = xstrdup(text.ptr);
            }
            write_line(f, doc++, title.ptr, text.ptr, t, outlet, s->id);
        }
        /* stories whose last day this was are done */
        size_t k = 0;
        for (size_t i = 0; i < nlive; i++) {
            if (d - live[i].born + 1 >= live[i].life)
                story_free(&live[i]);
            else
                live[k++] = live[i];
        }
        nlive = k;
    }
    for (size_t i = 0; i < nlive; i++)
        story_free(&live[i]);
    free(live);
    free(slots);
    buf_release(&title);
    buf_release(&text);
    return fclose(f) == 0 ? 0 : 1;
}

/* ==== The day's analysis ==== */

struct doc {
    char *title, *text, *source;
    int64_t time;
};

static struct doc *read_docs(const char *path, size_t *count)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    struct doc *docs = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) != -1) {
        cJSON *o = cJSON_ParseWithLength(line, (size_t)len);
        if (!o)
            continue;
        XGROW(docs, n + 1, cap);
        const cJSON *t = cJSON_GetObjectItem(o, "title"), *x = cJSON_GetObjectItem(o, "text"),
                    *s = cJSON_GetObjectItem(o, "source"), *p = cJSON_GetObjectItem(o, "published");
        docs[n].title = xstrdup(cJSON_IsString(t) ? t->valuestring : "");
        docs[n].text = xstrdup(cJSON_IsString(x) ? x->valuestring : "");
        docs[n].source = xstrdup(cJSON_IsString(s) ? s->valuestring : "");
        docs[n].time = 0;
        if (cJSON_IsString(p))
            time_parse_iso(p->valuestring, &docs[n].time);
        n++;
        cJSON_Delete(o);
    }
    free(line);
    fclose(f);
    *count = n;
    return docs;
}

static void free_docs(struct doc *docs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(docs[i].title);
        free(docs[i].text);
        free(docs[i].source);
    }
    free(docs);
}

/* Processor time of the calling thread. */
static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The clustering step over a chunk: the engine is sequential (each article
 * is weighed against the stories before it), so it runs on a thread of its
 * own while the independent steps take the other core. */
struct cluster_job {
    struct cluster_engine *ce;
    const struct doc *docs;
    const struct doc_terms *terms; /* NULL: tokenise the texts (retokenise) */
    size_t from, to;
    double wall, cpu; /* accumulated over the chunks */
};

static void *cluster_range(void *arg)
{
    struct cluster_job *j = arg;
    double t = now_s(), c = thread_cpu_s();
    for (size_t i = j->from; i < j->to; i++) {
        const struct doc *d = &j->docs[i];
        if (j->terms)
            cluster_engine_add_terms(j->ce, &j->terms[i - j->from], d->time, NULL);
        else
            cluster_engine_add(j->ce, d->title, d->text, d->time, NULL);
    }
    j->wall += now_s() - t;
    j->cpu += thread_cpu_s() - c;
    return NULL;
}

/* Articles per chunk: their token hashes (about 1 KB each) are all that is
 * held between the analyse step and the others, so memory stays flat. */
#define DAY_CHUNK 4096
#define DAY_MAX_THREADS DOC_TERMS_MAX_THREADS

static int cmd_day(const char *path, const char *data_dir, bool retokenise)
{
    size_t n = 0;
    struct doc *docs = read_docs(path, &n);
    if (!docs) {
        fprintf(stderr, "analysis: cannot read %s\n", path);
        return 1;
    }
    struct buf pg = BUF_INIT, pf = BUF_INIT, pz = BUF_INIT;
    buf_addf(&pg, "%s/tech-terms.tsv", data_dir);
    buf_addf(&pf, "%s/focus-terms.tsv", data_dir);
    buf_addf(&pz, "%s/gazetteer.tsv", data_dir);
    struct gate_model *gate = NULL;
    struct focus_model *focus = NULL;
    struct gazetteer *gaz = NULL;
    struct err e = ERR_INIT;
    if (gate_model_load(pg.ptr, &gate, &e) || focus_model_load(pf.ptr, &focus, &e) ||
        gazetteer_load(pz.ptr, &gaz, &e)) {
        fprintf(stderr, "analysis: %s\n", e.msg);
        return 1;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nthreads = retokenise                ? 1
                      : cores < 1               ? 1
                      : cores > DAY_MAX_THREADS ? DAY_MAX_THREADS
                                                : (size_t)cores;
    struct text_analyzer *an[DAY_MAX_THREADS];
    for (size_t t = 0; t < nthreads; t++)
        an[t] = text_analyzer_new();
    /* two chunks of token hashes: one being clustered, the next being made */
    struct doc_terms *chunk_terms[2] = {xcalloc(DAY_CHUNK, sizeof(struct doc_terms)),
                                        xcalloc(DAY_CHUNK, sizeof(struct doc_terms))};
    const char **titles = xcalloc(n ? n : 1, sizeof(char *)),
               **texts = xcalloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        titles[i] = docs[i].title;
        texts[i] = docs[i].text;
    }
    double t0 = now_s(), cpu0 = cpu_s();
    /* The articles go through the steps a chunk at a time. Clustering runs
     * on a thread of its own while dedup, the gate, focus, entities and
     * figures run one after another on this one, which then tokenises the
     * next chunk (the analyse step, doc_terms; the first chunk is tokenised
     * on every core before clustering starts): clustering, the longest
     * step, has a core to itself and never waits for tokens. Each step's
     * seconds are read once per chunk, at no cost per article: CPU seconds
     * on the clock of the thread that ran it (process CPU while the analyse
     * step runs on every core), not inflated by waits for a CPU on a shared
     * machine. Clustering overlaps the other steps, so the wall seconds of
     * the steps add up to more than the total. With retokenise (the
     * baseline, as before doc_terms) one thread runs every step in turn and
     * each step tokenises the articles itself. */
    enum {
        ST_ANALYSE,
        ST_DEDUP,
        ST_CLUSTER,
        ST_GATE,
        ST_FOCUS,
        ST_ENTITY,
        ST_FIGURE,
        ST_RANK,
        NSTEPS
    };
    static const char *const step_name[NSTEPS] = {"analyse", "dedup",    "cluster", "gate",
                                                  "focus",   "entities", "figures", "rank"};
    double step[NSTEPS] = {0}, step_cpu[NSTEPS] = {0};
    double ts = now_s(), cs = thread_cpu_s(), tn, cn;
#define STEP_END(k)                                                                                \
    (tn = now_s(), cn = thread_cpu_s(), step[k] += tn - ts, step_cpu[k] += cn - cs, ts = tn,       \
     cs = cn)
    size_t copies = 0, techs = 0, ents = 0, figs = 0, focused = 0;
    uint64_t dedup_sum = 0;
    struct simhash_index *dup = simhash_index_new(SIMHASH_DUP_DISTANCE);
    struct cluster_engine *ce = cluster_engine_new(NULL);
    struct cluster_job cj = {ce, docs, NULL, 0, 0, 0, 0};
    if (!retokenise && n) { /* the first chunk on every core; the others overlap clustering */
        double pt = now_s(), pc = cpu_s();
        doc_terms_compute_all(chunk_terms[0], titles, texts, n < DAY_CHUNK ? n : DAY_CHUNK, an,
                              nthreads);
        step[ST_ANALYSE] += now_s() - pt;
        step_cpu[ST_ANALYSE] += cpu_s() - pc;
    }
    for (size_t c0 = 0; c0 < n; c0 += DAY_CHUNK) {
        size_t c1 = c0 + DAY_CHUNK < n ? c0 + DAY_CHUNK : n;
        struct doc_terms *terms = chunk_terms[(c0 / DAY_CHUNK) % 2];
        pthread_t cluster_thread;
        bool cluster_apart = false;
        if (!retokenise)
            cj.terms = terms;
        cj.from = c0;
        cj.to = c1;
        cluster_apart =
            nthreads > 1 && pthread_create(&cluster_thread, NULL, cluster_range, &cj) == 0;
        if (!cluster_apart)
            cluster_range(&cj);
        ts = now_s();
        cs = thread_cpu_s();
        for (size_t i = c0; i < c1; i++) {
            uint64_t fp = retokenise ? text_simhash(docs[i].text, strlen(docs[i].text))
                                     : doc_terms_simhash(&terms[i - c0]);
            dedup_sum += fp;
            if (simhash_index_find(dup, fp, NULL) != SIZE_MAX)
                copies++;
            else
                simhash_index_add(dup, fp, i);
        }
        STEP_END(ST_DEDUP);
        for (size_t i = c0; i < c1; i++) {
            struct gate_result g;
            if (retokenise)
                gate_score(gate, docs[i].title, docs[i].text, &g);
            else
                gate_score_terms(gate, &terms[i - c0], &g);
            techs += g.score >= GATE_MIN_SCORE;
            gate_result_release(&g);
        }
        STEP_END(ST_GATE);
        for (size_t i = c0; i < c1; i++) {
            struct focus_result fr;
            if (retokenise)
                focus_classify(focus, docs[i].title, docs[i].text, 6.0, &fr);
            else
                focus_classify_terms(focus, &terms[i - c0], 6.0, &fr);
            focused += fr.area >= 0;
            focus_result_release(&fr);
        }
        STEP_END(ST_FOCUS);
        for (size_t i = c0; i < c1; i++) {
            struct entity_hit *eh = NULL;
            ents += entity_extract(gaz, docs[i].text, &eh);
            free(eh);
        }
        STEP_END(ST_ENTITY);
        for (size_t i = c0; i < c1; i++) {
            struct figure *fg = NULL;
            figs += figure_extract(docs[i].text, &fg);
            free(fg);
        }
        STEP_END(ST_FIGURE);
        if (!retokenise && c1 < n) {
            /* the next chunk, on this thread while clustering has the other
             * core, or on every core when clustering ran here */
            size_t n1 = n - c1 < DAY_CHUNK ? n - c1 : DAY_CHUNK;
            struct doc_terms *next = chunk_terms[(c1 / DAY_CHUNK) % 2];
            if (cluster_apart) {
                doc_terms_compute_all(next, titles + c1, texts + c1, n1, an, 1);
                STEP_END(ST_ANALYSE);
            } else {
                double pt = now_s(), pc = cpu_s();
                doc_terms_compute_all(next, titles + c1, texts + c1, n1, an, nthreads);
                step[ST_ANALYSE] += now_s() - pt;
                step_cpu[ST_ANALYSE] += cpu_s() - pc;
            }
        }
        if (cluster_apart)
            pthread_join(cluster_thread, NULL);
        ts = now_s();
        cs = thread_cpu_s();
    }
    size_t *assign = xcalloc(n ? n : 1, sizeof(size_t));
    size_t k = cluster_engine_finish(ce, assign);
    STEP_END(ST_CLUSTER);
    step[ST_CLUSTER] += cj.wall;
    step_cpu[ST_CLUSTER] += cj.cpu;
    /* rank: distinct outlets per story (sources are sorted per story by a
     * hash set of (story, source) pairs) */
    size_t *outlets = xcalloc(k ? k : 1, sizeof(size_t));
    size_t hcap = 1;
    while (hcap < n * 2 + 2)
        hcap *= 2;
    uint64_t *seen = xcalloc(hcap, sizeof(uint64_t));
    for (size_t i = 0; i < n; i++) {
        uint64_t h = text_hash(docs[i].source, strlen(docs[i].source)) ^ (assign[i] * 0x9E37ULL);
        h = h ? h : 1;
        size_t j = (size_t)h & (hcap - 1);
        while (seen[j] && seen[j] != h)
            j = (j + 1) & (hcap - 1);
        if (!seen[j]) {
            seen[j] = h;
            outlets[assign[i]]++;
        }
    }
    size_t top = 0;
    for (size_t c = 0; c < k; c++)
        if (outlets[c] > outlets[top])
            top = c;
    STEP_END(ST_RANK);
#undef STEP_END
    double secs = now_s() - t0, cpu = cpu_s() - cpu0;
    /* a digest of every step's output, to compare the two ways of running */
    uint64_t digest = text_fnv1a(TEXT_FNV1A_INIT, assign, n * sizeof(size_t));
    digest = text_fnv1a(digest, &dedup_sum, sizeof(dedup_sum));
    size_t counts[] = {copies, techs, focused, ents, figs};
    digest = text_fnv1a(digest, counts, sizeof(counts));
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("seconds=%.2f cpu_seconds=%.2f peak_rss_mb=%.0f docs=%zu clusters=%zu copies=%zu "
           "tech=%zu focus=%zu entities=%zu figures=%zu top_outlets=%zu threads=%zu "
           "digest=%016llx\n",
           secs, cpu, ru.ru_maxrss / 1024.0, n, k, copies, techs, focused, ents, figs,
           k ? outlets[top] : 0, nthreads, (unsigned long long)digest);
    printf("steps:");
    for (int st = 0; st < NSTEPS; st++)
        printf(" %s=%.2f", step_name[st], step[st]);
    printf("\ncpu_steps:");
    for (int st = 0; st < NSTEPS; st++)
        printf(" %s=%.2f", step_name[st], step_cpu[st]);
    printf("\n");
    for (int b = 0; b < 2; b++) {
        for (size_t i = 0; i < DAY_CHUNK; i++)
            doc_terms_release(&chunk_terms[b][i]);
        free(chunk_terms[b]);
    }
    free(titles);
    free(texts);
    for (size_t t = 0; t < nthreads; t++)
        text_analyzer_free(an[t]);
    free(seen);
    free(outlets);
    free(assign);
    simhash_index_free(dup);
    cluster_engine_free(ce);
    gate_model_free(gate);
    focus_model_free(focus);
    gazetteer_free(gaz);
    free_docs(docs, n);
    buf_release(&pg);
    buf_release(&pf);
    buf_release(&pz);
    return 0;
}

/* ==== The brief over a store ==== */

/* "brief": what `achim brief` does on a store holding the corpus.
 * Setup (timed apart): every article of the last DAYS days is stored as
 * `achim ingest` stores what the brief reads (store_feed_ingest: the row
 * and FTS5; then its entities and figures, app_facts_sync), a day per
 * transaction, each outlet's articles of the day as one feed. Term
 * statistics, which only `achim trends` reads, are left out: they would
 * only lengthen the setup. Then app_brief_build() for the corpus's last
 * day is timed: the window's articles and the week before them read back,
 * copies found, stories grouped, ranked and saved with their persistent
 * ids, the briefing written. The peak memory includes the corpus read
 * for the setup. Prints "ingest_seconds=I stored=D seconds=S
 * cpu_seconds=C peak_rss_mb=M articles=A stories=K". */
static int cmd_brief(const char *path, const char *data_dir, const char *db_path, int days)
{
    size_t n = 0;
    struct doc *docs = read_docs(path, &n);
    if (!docs || !n) {
        fprintf(stderr, "analysis: cannot read %s\n", path);
        return 1;
    }
    /* only the last `days` days are stored (0: all; negative: the store
     * already holds them, nothing is ingested) */
    size_t first = days < 0 ? n : 0;
    int64_t last_day = docs[n - 1].time / 86400;
    while (days > 0 && first < n && docs[first].time / 86400 <= last_day - days)
        first++;
    struct buf pz = BUF_INIT, pf = BUF_INIT;
    buf_addf(&pz, "%s/gazetteer.tsv", data_dir);
    buf_addf(&pf, "%s/focus-terms.tsv", data_dir);
    struct gazetteer *gaz = NULL;
    struct store *st = NULL;
    struct err e = ERR_INIT;
    if (gazetteer_load(pz.ptr, &gaz, &e) || app_store_open(db_path, &st, &e)) {
        fprintf(stderr, "analysis: %s\n", e.msg);
        return 1;
    }
    double t0 = now_s();
    enum achim_code rc = ACHIM_OK;
    enum { OUTLETS = 200 };
    int64_t *src_id = xcalloc(OUTLETS, sizeof(int64_t));
    struct feed_doc **feed = xcalloc(OUTLETS, sizeof(*feed));
    for (size_t i = first; rc == ACHIM_OK && i < n;) {
        /* one day: every outlet's articles as one feed, in one transaction */
        int64_t day = docs[i].time / 86400;
        size_t j = i;
        for (; j < n && docs[j].time / 86400 == day; j++) {
            size_t o =
                (size_t)strtoul(docs[j].source + strcspn(docs[j].source, "0123456789"), NULL, 10) %
                OUTLETS;
            if (!feed[o])
                feed[o] = feed_doc_new();
            struct article *a = feed_doc_add_entry(feed[o]);
            char url[96];
            snprintf(url, sizeof(url), "https://%s.example/news/%zu", docs[j].source, j);
            a->guid = xstrdup(url);
            a->url = xstrdup(url);
            a->title = xstrdup(docs[j].title);
            a->summary = xstrdup(docs[j].text);
            a->language = xstrdup("en");
            a->published = docs[j].time;
        }
        rc = store_begin(st, &e);
        for (size_t o = 0; rc == ACHIM_OK && o < OUTLETS; o++) {
            if (!feed[o])
                continue;
            if (!src_id[o]) {
                char fu[64], name[32];
                snprintf(fu, sizeof(fu), "https://outlet-%zu.example/feed", o);
                snprintf(name, sizeof(name), "outlet-%zu", o);
                rc = store_source_ensure(st, fu, name, NULL, docs[i].time, &src_id[o], &e);
            }
            if (rc == ACHIM_OK)
                rc = store_feed_ingest(st, src_id[o], 0, feed[o], docs[i].time, NULL, &e);
            feed_doc_free(feed[o]);
            feed[o] = NULL;
        }
        if (rc == ACHIM_OK)
            rc = app_facts_sync(st, gaz, NULL, &e);
        rc = rc == ACHIM_OK ? store_commit(st, &e) : (store_rollback(st), rc);
        i = j;
    }
    free(feed);
    free(src_id);
    double ingest_s = now_s() - t0;
    if (rc != ACHIM_OK) {
        fprintf(stderr, "analysis: ingest: %s\n", e.msg);
        return 1;
    }
    struct app_brief_opts o;
    app_brief_opts_default(&o);
    o.date = (docs[n - 1].time / 86400) * 86400;
    o.terms_path = pf.ptr;
    o.gazetteer = gaz;
    struct briefing b;
    briefing_init(&b);
    t0 = now_s();
    double cpu0 = cpu_s();
    rc = app_brief_build(st, &o, &b, &e);
    double secs = now_s() - t0, cpu = cpu_s() - cpu0;
    if (rc != ACHIM_OK) {
        fprintf(stderr, "analysis: brief: %s\n", e.msg);
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("ingest_seconds=%.2f stored=%zu seconds=%.2f cpu_seconds=%.2f peak_rss_mb=%.0f "
           "articles=%zu stories=%zu\n",
           ingest_s, n - first, secs, cpu, ru.ru_maxrss / 1024.0, b.narticles, b.nstories);
    briefing_release(&b);
    store_close(st);
    gazetteer_free(gaz);
    free_docs(docs, n);
    buf_release(&pz);
    buf_release(&pf);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "gen") == 0)
        return cmd_gen((size_t)strtoul(argv[2], NULL, 10), atoi(argv[3]),
                       (unsigned)strtoul(argv[4], NULL, 10), argv[5]);
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "day") == 0)
        return cmd_day(argv[2], argc == 4 ? argv[3] : "data", false);
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "day-retokenise") == 0)
        return cmd_day(argv[2], argc == 4 ? argv[3] : "data", true);
    if ((argc == 5 || argc == 6) && strcmp(argv[1], "brief") == 0)
        return cmd_brief(argv[2], argv[3], argv[4], argc == 6 ? atoi(argv[5]) : 0);
    fprintf(stderr, "usage: analysis gen N DAYS SEED OUT.jsonl | analysis day[-retokenise] "
                    "IN.jsonl [DATADIR] |\n"
                    "       analysis brief IN.jsonl DATADIR DB [DAYS]\n");
    return 2;
}

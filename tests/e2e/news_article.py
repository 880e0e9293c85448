"""A news article as a browser saves it (menus, an advert, scripts, a footer), and a report as a PDF.

Both are made up for the tests, with the quantities, names and places a real report has.
"""

from tests.documents import make_pdf

NEWS_HTML = """<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Norway's electric ferries cut emissions on busy fjord routes | Harbour Gazette</title>
<meta property="og:title" content="Norway's electric ferries cut emissions on busy fjord routes">
<meta name="author" content="Ingrid Solberg">
<meta property="og:site_name" content="Harbour Gazette">
<meta property="article:published_time" content="2024-05-14T07:30:00+02:00">
<link rel="canonical" href="https://harbour-gazette.example/2024/05/electric-ferries">
<script>window.dataLayer = []; function track() { return "analytics"; }</script>
<style>.ad { background: yellow; }</style>
</head>
<body>
<header><nav><ul>
<li><a href="/">Front page</a></li><li><a href="/business">Business</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li>
</ul></nav></header>
<div class="ad" id="top-ad">Subscribe today for only 1 krone a week</div>
<main><article>
<h1>Norway's electric ferries cut emissions on busy fjord routes</h1>
<p class="byline">By Ingrid Solberg, transport correspondent</p>
<p>Norway now runs more than 70 battery-powered car ferries, the largest electric fleet in the world, according to the
Norwegian Public Roads Administration. The first of them, the Ampere, entered service in 2015 on the crossing between
Lavik and Oppedal in Sognefjord.</p>
<p>The Ampere carries up to 120 cars and 360 passengers and crosses the fjord in about 20 minutes. Its operator, Norled,
says the vessel cut fuel costs by 80 percent compared with the diesel ferry it replaced.</p>
<p>Advertisement</p>
<h2>Charging at every quay</h2>
<p>Each electric ferry recharges for roughly ten minutes at the quay while cars drive on and off. The shore stations
draw power from the national grid, which in Norway comes almost entirely from hydropower.</p>
<p>The Norwegian government paid for much of the change through Enova, a state agency that funds low-emission
transport. Enova granted about 1.2 billion kroner to ferry operators between 2016 and 2022.</p>
<p>Transport minister Jon-Ivar Nygård said in March that every new ferry contract would require zero-emission vessels
from 2025. He called the ferries "the quiet workhorses of the green shift".</p>
<h2>Shipyards and jobs</h2>
<p>Most of the ferries were built at the Fjellstrand shipyard near Bergen and at yards in Turkey and Poland. Fjellstrand
employs around 300 people and has delivered 14 electric ferries since 2015.</p>
<p>Siemens Energy supplied the battery systems for the first vessels. Each battery pack weighs about 10 tonnes and is
designed to last 10 years before it must be replaced.</p>
<p>Emissions on the converted routes fell by 95 percent, the roads administration estimates. The savings add up to
roughly 300,000 tonnes of carbon dioxide a year across the whole fleet.</p>
<figure><img src="ferry.jpg" alt=""><figcaption>The Ampere at Oppedal quay. Photo: Harbour Gazette</figcaption></figure>
<h2>What comes next</h2>
<p>Critics such as the shipping economist Kari Lunde warn that the ferries depend on generous subsidies. Lunde says
ticket prices rose by 12 percent on some crossings after the switch.</p>
<p>The next step is hydrogen. The MF Hydra, which began sailing in 2023 between Hjelmeland and Nesvik, is the first
ferry in the world to run on liquid hydrogen. It can carry 80 cars.</p>
<ul>
<li>More than 70 electric car ferries sail in Norway.</li>
<li>Emissions on converted routes fell by 95 percent.</li>
<li>The MF Hydra runs on liquid hydrogen.</li>
</ul>
<script>document.write('<p>Injected by a script</p>');</script>
</article></main>
<aside><h3>Most read</h3><ol>
<li><a href="/a">Storm closes mountain pass</a></li><li><a href="/b">Cod prices rise</a></li>
</ol></aside>
<footer><p>© 2024 Harbour Gazette. All rights reserved.</p>
<p><a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></p></footer>
</body></html>
"""

REPORT_PARAGRAPHS = [
    "Battery ferries in numbers",
    "This report follows the electric ferry programme from 2015 to 2024. It draws on figures from the "
    "Norwegian Public Roads Administration and from the operators Norled, Fjord1 and Boreal.",
    "Fjord1 runs 45 of the electric ferries, more than any other operator. Its largest vessels carry 120 cars.",
    "The average crossing on an electric route lasts 25 minutes. Ferries on the longest route, between Bodø and "
    "Moskenes, still burn diesel because the crossing takes more than three hours.",
    "Charging stations cost between 20 and 40 million kroner each. The grid company Statnett reinforced the lines "
    "to 30 quays along the west coast.",
    "Passenger numbers grew by 8 percent between 2019 and 2023 on the converted routes.",
]


def report_pdf(pages: int = 6) -> bytes:
    """A report of ``pages`` pages: the facts above, then one numbered finding a paragraph."""
    blocks = [("heading", REPORT_PARAGRAPHS[0])] + [("paragraph", text) for text in REPORT_PARAGRAPHS[1:]]
    page_list = [blocks]
    for page in range(2, pages + 1):
        page_list.append(
            [("heading", f"Route group {page}")]
            + [
                (
                    "paragraph",
                    f"Route {page}{n} carried {page * 1000 + n * 37} cars in 2023, and its ferry used "
                    f"{page * 3 + n} megawatt hours of electricity a week.",
                )
                for n in range(1, 5)
            ]
        )
    return make_pdf(page_list, title="Battery ferries in numbers", author="Norwegian Ferry Council")

"""Street types, as alternations for the address patterns.

COMMON ones name a street wherever they follow a house number and a name. RARE ones (the rest of
the USPS Publication 28 and Australian lists, which Faker also draws on for the synthetic
customers) are ordinary words too often ("Park", "Station", "Village"), so they count only when
something else says address. GENERIC ones are mostly other words ("Union", "Light", "Top", "Key"):
they count only right before a postcode.
"""

COMMON = (
    r"(?:street|avenue|road|boulevard|lane|drive|court|way|place|terrace|close|crescent|square|parkway|"
    r"highway|circle|row|mews|gardens|grove|walk|alley|plaza|trail|loop|path|pike|crossing|heights|hill|"
    r"rise|vale|wharf|quay|esplanade|promenade|parade|broadway)\b"
    r"|(?:st|ave|rd|blvd|ln|dr|ct|pl|sq|pkwy|hwy|cir)\b\.?"  # only an abbreviation takes the full stop
)
RARE = (
    "Access|Alleyway|Amble|Anchorage|Approach|Arcade|Basin|Beach|Bend|Brae|Branch|Bridge|Brook|Brooks|Brow|"
    "Burg|Burgs|Bypass|Byway|Camp|Canyon|Cape|Causeway|Center|Centers|Centre|Centreway|Chase|Circles|Circlet|"
    "Circuit|Circus|Cliff|Cliffs|Colonnade|Common|Concourse|Copse|Corner|Corners|Corso|Course|Courts|"
    "Courtyard|Cove|Coves|Creek|Crest|Crossroad|Crossway|Cruiseway|Cul-de-sac|Curve|Dale|Dam|Dell|Divide|"
    "Drives|Driveway|Estate|Estates|Expressway|Extension|Extensions|Fairway|Falls|Ferry|Field|Fields|"
    "Firetrail|Flat|Flats|Footway|Ford|Fords|Foreshore|Forest|Forge|Forges|Fork|Forks|Fort|Freeway|Frontage|"
    "Garden|Gate|Gates|Gateway|Glade|Glen|Glens|Grange|Green|Greens|Groves|Gully|Harbor|Harbors|Haven|"
    "Highroad|Hills|Hollow|Inlet|Interchange|Intersection|Island|Islands|Isle|Junction|Junctions|Knoll|"
    "Knolls|Lake|Lakes|Landing|Laneway|Lodge|Lookout|Mall|Manor|Manors|Meadow|Meadows|Meander|Mill|Mills|"
    "Motorway|Mount|Mountain|Mountains|Neck|Orchard|Outlook|Oval|Overpass|Park|Parklands|Parks|Parkways|Pass|"
    "Passage|Pathway|Piazza|Pine|Pines|Plain|Plains|Plateau|Prairie|Quadrangle|Quadrant|Quays|Radial|Ramble|"
    "Ramp|Ranch|Rapid|Rapids|Reserve|Retreat|Ridge|Ridges|Ridgeway|Ring|River|Riverway|Riviera|Roads|"
    "Roadside|Roadway|Ronde|Route|Rue|Run|Shoal|Shoals|Shore|Shores|Siding|Skyway|Spring|Springs|Squares|"
    "Station|Strand|Stravenue|Stream|Streets|Subway|Summit|Thoroughfare|Throughway|Tollway|Towers|Trace|"
    "Track|Trafficway|Triangle|Trunkway|Tunnel|Turnpike|Underpass|Valley|Valleys|Via|Viaduct|View|Views|"
    "Village|Villages|Villas|Ville|Vista|Walks|Walkway|Ways|Wynd"
)
GENERIC = (
    "Artery|Block|Brace|Break|Club|Cross|Cutting|Deviation|Dip|Distributor|Edge|Elbow|End|Entrance|Fall|"
    "Follow|Formation|Front|Gap|Ground|Key|Keys|Land|Lees|Light|Lights|Line|Link|Little|Loaf|Lock|Locks|"
    "Lower|Mew|Mission|Nook|Part|Pocket|Point|Points|Port|Ports|Quad|Range|Reach|Rest|Ride|Rosebowl|Rotary|"
    "Round|Slope|Sound|Spur|Spurs|Stairs|Steps|Strip|Tarn|Top|Tor|Trailer|Turn|Union|Unions|Upper|Wade|Wall|"
    "Well|Wells"
)

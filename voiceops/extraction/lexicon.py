"""Word lists the rules extractor reasons with: the field vocabulary that is never a customer
name, part head nouns, business-name suffixes. Domain knowledge, not answers for a data set."""

from __future__ import annotations

from voiceops.extraction.numbers import NUMBER_WORDS


def wordset(text: str) -> frozenset[str]:
    """A set of words written as whitespace-separated text (keeps long lists readable)."""
    return frozenset(text.split())


def phrase_set(text: str) -> frozenset[str]:
    """A set of phrases written as '|'-separated text."""
    return frozenset(text.split("|"))


FILLERS = wordset("""um umm uh uhh er erm hmm like hey so well okay ok alright
aight ngl tbh fr lowkey highkey deadass bruh bro fam dawg cuz cher chief voiceops chur g'day dispatch dispatcher""")

FUNCTION_WORDS = wordset("""
a an the this that these those it its it's they them em their there here he him his she her hers we us our
ours i me my mine you your yours who whom whose what which when where why how all any both each every some
no not nor none nothing everything everyone anything something someone one ones other others another same
and or but if then than so because as at by for from in into of off on onto out over to up down with
without about after before again also just only still yet already now today tonight tomorrow yesterday
under behind inside near above below beside between outside along across underneath beneath around against
is are was were be been being am do does did done has have had having will would shall should can could
may might must gonna gotta wanna let lets let's please thanks thank very really too more most much many
few lot lots bit kind sort maybe okay ok yeah yes yep yup nope nah no hey hi hello um uh er oh ah well
like right sure fine good great new old main whole just back away around through via per far
i'm i've i'll i'd we're we've we'll they're they've you're that's it's what's where's there's here's who's
isn't don't doesn't didn't won't can't couldn't wouldn't shouldn't haven't hasn't wasn't weren't aren't ain't
gotta y'all
""")

ACTION_WORDS = wordset("""
rebook rebooked reslot reslotted
close closed closing closes finish finished finishing complete completed completing done wrap wrapped
wrapping start started starting starts begin beginning began arrive arrived arriving update updated
updating order ordered ordering orders reschedule rescheduled rescheduling push pushed bump bumped move
moved postpone postponed next bill billed billing build log logged logging add added mark marked put
replace replaced replacing swap swapped swapping change changed changing install installed installing
clean cleaned cleaning check checked adjust adjusted reset tested test inspect inspected used use need
needs needed get got give gimme send assign call set fixed fix repaired repair working work walked
walking pulling pulled heading headed going go come came leave leaving left say said tell told cancel
undo scratch confirm confirmed confirm decline repeat missed catch heard hear see saw want wanted quoted
quote stuck running blowing recharged hook hooked charge charged delete drop wipe relit lit rebuilt built ran
made took found cut hung bent fit brought bought threw tore rewired resealed
""")

JOB_NOUNS = wordset("""
job jobs ticket tickets place house home residence residences family household account property site
apartment unit condo install installation appointment call visit work order orders customer customers
kitchen bathroom basement garage attic office building address location project repair service stop
one ones client clients
""")

TIME_WORDS = wordset("""
hour hours hr hrs minute minutes min mins half quarter quarters time today tonight tomorrow yesterday
morning afternoon evening night week weekend month day days monday tuesday wednesday thursday friday
saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays sundays weekends
january february march april may june july august september october november december
noon midnight am pm a.m. p.m. later soon earlier o'clock clock total
""")

#: heads of part names; used where the grammar alone is weak ("and one ball valve")
PART_HEADS = wordset("""
immersion geyser geysers cistern cisterns stopcock stopcocks aircon tub tubs gauge gauges
tap taps hob hobs radiator radiators trv trvs rcd rcds rcbo rcbos
manifold manifolds skylight skylights
valve valves flange switch switches breaker breakers capacitor capacitors coil coils filter filters motor
motors thermostat thermostats thermocouple igniter ignitor sensor sensors belt belts pump pumps tank tanks
heater heaters element elements gasket gaskets seal seals ring rings line lines hose hoses pipe pipes
trap traps faucet faucets cartridge cartridges aerator strainer disposal toilet toilets outlet outlets
receptacle receptacles gfci gfcis fuse fuses panel panels relay relays contactor contactors board boards
fan fans blower wheel compressor condenser evaporator drier latch hinge handle light lights ballast
ballasts bulb bulbs fixture fixtures head heads nozzle regulator transformer timer damper duct ducts vent
vents float flapper battery batteries backup backups subpanel subpanels cord plug lock shelf drum roller pulley
idler spring bearing
bearings impeller inducer burner orifice tube spout drain pan basket guard stop kit vanity sink cabinet
exchanger membrane screen thermistor fuse module controller control igniters cap caps grate door doors
gauge meter detector detectors alarm alarms disconnect wire wiring cable harness jet pilot dimmer
sprayer diverter shutoff shut-off stopper trim cover covers mount bracket brackets coupling couplings
elbow tee union nipple fitting fittings clamp clamps washer washers o-ring o-rings p-trap supply
cartridges refrigerant hinge hinges set kit rod bib bibb ballcock escutcheon txv spigot
pad blade grille louver sillcock manifold tstat knob knobs gear gears shaft seal assembly unit compressor
charger chargers cooktop cooktops cell cells closer closers opener openers springs cable cables plate plates
keypad keypads photocell photocells troffer troffers boot boots arm arms cage bar bars tailpiece protector
protectors hood hoods cutoff cutoffs maker makers gap prv lens lenses anode anodes caster casters track tracks
remote remotes transmitter receiver deadbolt deadbolts cylinder cylinders strike lever levers threshold sweep
weatherstrip weatherstripping shingle shingles flashing gutter gutters downspout downspouts conduit box boxes
housing housings cans lamp lamps starter starters driver drivers chandelier sconce sconces humidifier
humidifiers dehumidifier purifier accumulator solenoid solenoids actuator actuators liner liners flue collar
register registers diffuser diffusers plenum agitator dispenser auger icemaker tray trays rack racks
stem stems seat seats bolt bolts preventer softener softeners hydrant hydrants chlorinator skimmer skimmers
lockset locksets core cores device devices afci afcis generator generators inverter inverters trolley
coupler couplers circulator circulators socket sockets handler handlers probe probes adapter adapters
arrestor arrestors bushing bushings sheave sheaves tensioner tensioners thermopile thermopiles transducer
transducers antenna antennas enclosure enclosures strap straps hanger hangers
chiller chillers microinverter microinverters optimizer optimizers rail rails connector connectors
baffle baffles edge edges guide guides strobe strobes station stations button buttons horn horns pin pins
absorber absorbers whip whips jamb jambs sash operator operators interlock interlocks restrictor
restrictors base bases pack packs acceptor acceptors sign signs basin basins mixer mixers strip strips""") - {"unit"}


#: last words of business names ("Pine Valley Pharmacy", "bright smiles orthodontics")
BUSINESS_SUFFIXES = wordset("""seafood chips
orthodontics dental dentistry clinic hospital pharmacy fitness gym motel hotel inn bistro diner cafe
coffee restaurant grill bakery pub pizza pizzeria elementary school academy college church chapel
library market grocery foods deli salon spa barbershop laundromat cleaners apartments condos plaza
mall hardware bank insurance realty properties storage warehouse brewery winery tavern lodge
studio studios theater theatre cinema daycare preschool veterinary pediatrics chiropractic optometry
eyecare villas towers manor estates farms ranch nursery florist bookstore company inc llc group
services supply industries manufacturing labs laboratory church temple mosque synagogue dealership
steakhouse cantina taqueria kitchen bar lounge club center centre shop store office offices auto
apartments suites cleaners kennel boutique gallery museum arena stadium marina bbq llc inc co ymca ltd express
depot mart works solutions partners associates systems enterprises logistics laundry lube tires
carwash cinemas theatres diner's cafeteria canteen creamery roasters eatery kitchens pantry grocers
hospice infirmary medical health wellness vision optical chiropractors physiotherapy pediatric ramen
trattoria osteria biergarten brasserie gastropub chophouse smokehouse taproom snacks pho
bakeshop cookshop bakehouse takeaway takeaways sweets thai
fellowship ministries parish cathedral synagogue academy preparatory montessori university campus
hall lodge resort spa suites motel hostel airbnb marina yacht golf country club arms terrace
vet vets animal shelter union credit cooperative co-op
antiques bowling lanes roastery grooming tattoo crossfit hoa association yoga pilates dojo kennels mortuary distillery
taproom brewing
barbecue smokehouse bagels donuts florists jewelers motors collision apothecary cellars condominiums
townhomes lofts vineyard vineyards orchard orchards dairy barbers books booksellers bookshop outfitters nails salons
foodland marine marina's architects architecture engineers engineering breakfast buffet rink
catering flats title
""")

#: two-word ends of business names whose last word alone is an ordinary noun: "Rosewood Funeral Home",
#: "Three Sisters Tea Room" (last word -> the words that make it a business before it)
COMPOUND_SUFFIXES = {
    "home": wordset("funeral nursing care retirement"),
    "living": wordset("assisted senior student independent"),
    "room": wordset("tea"),
    "house": wordset("tea noodle coffee steak pancake ale chop tap ramen pho pizza sushi burger taco curry dumpling "
                     "kebab gyro fish oyster rib waffle donut soup spice dosa biryani "
                     "waffle bagel pie chowder oyster crab chicken wing smoke"),
    "body": wordset("auto"),
    "bar": wordset("nail wine juice sushi oyster salad raw sports piano tiki snack espresso taco smoothie oxygen"),
    "wash": wordset("car"),
    "care": wordset("urgent day child pet senior memory lawn"),
    "spa": wordset("day med medical"),
    "office": wordset("law dental doctor's doctors medical post insurance accounting tax vet veterinary sales leasing"),
    "kitchen": wordset("thai noodle taco soul curry dumpling ramen pho sushi"),
    "medicine": wordset("family sports internal integrative"),
    "management": wordset("realty property properties asset facilities facility building"),
    "center": wordset("learning community medical senior recreation civic fitness shopping garden nature care"),
    "centre": wordset("learning community medical senior recreation civic fitness shopping garden nature care"),
    "station": wordset("fire police ranger"),
    "club": wordset("country golf tennis swim yacht athletic boat"),
    "stop": wordset("truck"),
    "store": wordset("feed hardware grocery general liquor furniture tire thrift book music pet convenience"),
    # "Castillo Brothers Landscaping", "Okafor & Sons Plumbing": a trade after the firm's word
    **{trade: wordset("brothers bros sons son daughters co company") for trade in (
        "landscaping", "roofing", "plumbing", "painting", "construction", "electric", "electrical", "heating",
        "flooring", "paving", "fencing", "remodeling", "contracting", "hvac", "mechanical")},
}


#: kinds of arm that are parts: "spray arms", "wash arms", "shower arms"
_PART_ARMS = wordset("spray wash rinse shower wiper rocker swing control support mounting pickup tone")
#: singulars of plural business endings that are ordinary words or names ("Bill Rogers", "the system")
_NOT_SINGULAR = wordset("system partner solution service work studio supply arm")


def business_suffix(word: str, before: str = "", *, singular: bool = False) -> bool:
    """Whether ``word`` (lowercase) ends a business name, the word ``before`` it considered:
    "pharmacy", "florists", "funeral home"; with ``singular``, also the singular of a plural ending (a
    ticket's "Kestrel Tower", of "towers"; in speech "the farm" is no business)."""
    if word == "arms" and before in _PART_ARMS:
        return False  # "both spray arms", "the wash arms": parts, not "Kensington Arms"
    if word in BUSINESS_SUFFIXES or (word.endswith("s") and word[:-1] in BUSINESS_SUFFIXES) or (
            singular and word + "s" in BUSINESS_SUFFIXES and word not in _NOT_SINGULAR):
        return True
    return before in COMPOUND_SUFFIXES.get(word, ())

#: suffixes that are also ordinary words; only trusted when capitalised ("Ruiz Kitchen" vs "the kitchen")
WEAK_BUSINESS_SUFFIXES = wordset("kitchen bar club center centre shop store office offices auto")

#: makes of equipment: "a Honeywell gas valve", "a fifty gallon bradford white" (no customer, no part of their own)
BRANDS = wordset("""honeywell lennox carrier trane rheem ruud goodman bradford rinnai navien noritz kohler moen
whirlpool maytag frigidaire kenmore bosch samsung lg ge amana daikin mitsubishi fujitsu tempstar grundfos zurn sloan
insinkerator liftmaster chamberlain leviton lutron siemens ecobee aprilaire mclain thermador subzero sub-zero
miele blodgett huebsch kitchenaid electrolux dacor jennair jenn-air haier hotpoint asko beko smeg bertazzoni scotsman
hoshizaki manitowoc traulsen frymaster pitco wascomat unimac ipso girbau cissell gaggenau danby midea hisense
panasonic frigidaire lennox weil-mclain buderus viessmann takagi grohe hansgrohe toto uponor viega
pentair jandy zodiac zoeller heatcraft hussmann copeland true york tecumseh embraco kysor bohn
taco delta pfister hayward genie clopay schlage kwikset kwik-set wayne-dalton culligan kinetico generac rainbird
rain-bird""")
#: makes said in two words: "three Speed Queen front loaders", "a Square D breaker"
BRAND_PHRASES = frozenset({"speed queen", "square d", "american standard", "a.o. smith", "ao smith", "fisher paykel",
                           "fisher & paykel", "sub zero", "cutler hammer", "federal pacific", "little giant",
                           "bradford white", "state select", "alto shaam", "true manufacturing", "fed pac"})
#: common given names: "close out walter osterhout", "for Gideon Thistlethwaite" name the customer by the surname
FIRST_NAMES = wordset("""
ingrid laszlo teodora olga ivan dmitri sergei elena sofia lucia marco luca pierre hans klaus greta lars sven erik astrid
nils bjorn fatima priya rahul anil deepa kenji hiroshi yuki akira giovanni francesca alessandro katarzyna piotr
agnieszka tomasz magdalena jakub nikolai svetlana irina yuri chiara matteo lorenzo giuseppe isabella valentina camila
diego alejandro javier sergio pablo andres fernando ricardo eduardo rafael gabriela daniela mariana mateo santiago joao
thiago felipe beatriz ines francisco ngozi chinedu emeka kwame kofi thabo sipho zanele siobhan niamh aoife ciaran eoin
james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark
donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary
nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick raymond
jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle walter ethan jeremy harold keith
christian roger noah gerald carl terry sean austin arthur lawrence jesse dylan bryan joe jordan billy bruce albert
willie gabriel logan alan juan wayne roy ralph randy eugene vincent russell elijah louis bobby philip johnny
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty margaret sandra ashley
kimberly emily donna michelle dorothy carol amanda melissa deborah stephanie rebecca sharon laura cynthia kathleen
amy shirley angela helen anna brenda pamela nicole emma samantha katherine christine debra rachel catherine carolyn
janet ruth maria heather diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith megan
cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice jean alice madison doris
abigail julia judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella
charlotte rose alexis kayla marisol dolores carmen rosa ana luis carlos miguel jorge pedro manuel javier ramon
gideon walt bill bob jim mike dave rick tom chuck chris dan matt tony steve ken greg sam alex pat ray jerry ron
fred ed ted ned hank earl lloyd clyde otis herb marv vern stan ollie gus
""")
HONORIFICS = wordset("mr mrs ms miss dr mister missus")

#: words that may open a sentence with a capital letter but are never a customer name
NOT_A_NAME = (FUNCTION_WORDS | ACTION_WORDS | JOB_NOUNS | TIME_WORDS | PART_HEADS | FILLERS | NUMBER_WORDS
              | wordset("""
whoever whomever whichever wherever whenever somebody anybody everybody partial partially kindly
rtu rtus ahu ahus vav vavs mau maus ptac ptacs number model serial leg phase utility utilities mirror mirrors
schrader wipes rags roots grease cleared unclogged snaked jetted rodded augered leak leaks clog drip
mud paint grout caulk glue concrete cement grabbing getting taking heading coming maintenance
fall annual yearly seasonal county township
rooftop slip slips berth pier taps
labor labour travel diagnosis diagnostic service trip charge total inspector homeowner owner owners tenant
tenants landlord manager supervisor plumber electrician
contractor wife husband neighbor neighbour supplier warehouse crew helper apprentice partner kids dog
sorry lol ugh oops whoa wow darn shoot geez jeez yikes sheesh huh hang pocket dial truck gas station
nearest raining crazy blah whatever board assistant
note notes comment comments remarks materials commute traffic
system app dispatch otw eta asap gtg wo wos appt cust nc rather
commercial residential industrial tankless portable
lighting roofing flooring painting siding landscaping paving insulation ductwork cabling fencing guttering
drive-through drive-thru drivethru return follow-up followup aunt auntie uncle grandma grandpa granny nana
sparky sparkie sparkies chippy chippie brickie tradie tradies
pressure temperature temp voltage amperage amp draw airflow humidity superheat subcooling static suction readings
traffic weather parking lunch coffee cat puppy terrier shepherd coworker coworkers cousin lady gentleman fella gal
german german's italian spanish mexican chinese japanese korean russian greek
database everybody someone anyone parts part customer tech technician dispatch boss guy guys tile
ladder roof nobody sir ma'am man dude buddy quick quickly also finally first last other final
camera scope snake jetter auger vacuum drill generator compressor's
rough-in rough-ins roughin trim-out demo demolition framing
early late earlier later sooner fence fences deck decks porch shed drywall patio programming wiring blinds trim
another extra same new old partway halfway progress status wait ready another hmm mm-hm uh-huh
nope affirmative negative correct exactly absolutely definitely perfect cool copy roger got gotta
leaking broken bad faulty cracked worn busted dead damaged replacement spare whole entire emergency
good bad cold hot warm water gas air heat electric electrical plumbing hvac ac furnace fridge
refrigerator dryer dishwasher washer range oven stove microwave freezer boiler well
upstairs downstairs outdoor outdoors indoor indoors exterior interior outside inside front rear master guest
laundry utility crawlspace
lunch break show yo make made commence commencing commenced minisplit mini-split rtu
mid midway rest hallway
hallways bedroom bedrooms bathroom bathrooms basement attic closet foyer porch patio
lobby stairwell mudroom remember anyway anyways anyhow basically honestly literally seriously obviously apparently
correction meanwhile
otherwise actually like follow-up followup callback warranty second third theirs mine yours ours hers mate
inspection permit delivery reassign following
ev waiting condensing
ongoing pending underway outstanding incomplete unfinished wip tbd whatcha watcha wotcha thing flat
north south east west northeast northwest southeast southwest upper lower
"""))

#: surnames that end in -s themselves ("the Reynolds' furnace" is Reynolds, "the Nguyens' place" is Nguyen)
S_SURNAMES = wordset("""williams roberts edwards evans davis harris phillips reynolds adams rogers richards peters
collins stevens parsons simmons watkins jenkins hawkins perkins wilkins matthews owens brooks woods banks burns
sanders myers sims mills hayes hodges rhodes stokes tibbets tibbetts andrews daniels nichols michaels powers
waters fields meadows childs giles lyons james roberts watts potts betts coates oates mathis curtis travis
francis lewis ellis willis dennis fitzsimmons timmons gibbons lemmons emmons pickens dickens abrams""")

#: more given names, said of the people around a job ("tell Dana", "Kenny the landlord", "Ravi's showing me the
#: panel"): beside the customer's surname they name someone else
MORE_FIRST_NAMES = wordset("""dana meera kenny jess jessie manny ravi zoltan paulo lupe celine hector biscuit
carla tasha anita samir mei luca chris pat sam alex jo jamie casey
sandy randy andy tony vinnie benny danny joey jimmy timmy tommy bobby billy ricky mikey nicky stevie eddie
frankie johnny sammy charlie teddy freddie archie ollie alfie harry niamh siobhan aoife ciara saoirse sinead
priya anil sunil raj rajesh deepa anjali arjun vikram sanjay nikhil ananya kavya divya pooja neha rohan
wei ming jun li hui yan mei hiro yuki kenji haruto sakura aiko minh linh tuan hoa thanh duc
kwame kofi ama abena chidi ngozi emeka tunde femi yemi sade ife tariq omar yusuf fatima aisha layla zainab
hamza bilal imran farah nadia leila reza dariush mehdi
olga ivan igor sergei dmitri natasha svetlana katya pavel nikolai yuri boris vlad
lars sven nils ingrid astrid freya bjorn erik anders jens
pedro pablo diego luis juan carlos rosa lucia marisol yolanda consuelo guadalupe chuy nacho paco lalo memo
giulia giuseppe luca marco matteo francesca chiara paolo enzo nico gino vito
hans klaus jurgen dieter helga greta heidi lukas jonas felix
pierre jacques luc marc margaux chloe amelie camille manon
kai koa leilani malia keanu noa makoa""")

"""Spoken cues: the patterns and phrase lists that say what a clause asks for.

Every pattern here reads lowercased text (the SQL check, which sees the words as written, is
case-insensitive); the rules extractor and the clause splitter share them."""

from __future__ import annotations

import functools
import re

from voiceops.contracts import Action
from voiceops.extraction.lexicon import phrase_set
from voiceops.extraction.prefilter import Cue

#: the actions that describe a job's status; one command holds at most one of them
STATUS = {Action.close_ticket, Action.update_ticket}


def _rx(pattern: str) -> Cue:
    # cue patterns only ever see lowercased text: case-insensitive matching would only cost time. Each is
    # skipped outright when the clause lacks every word its matches need (see prefilter.py)
    return Cue(re.compile(pattern))


# bounded windows keep these linear on long or hostile input ("UPDATE UPDATE ..." x 2000)
SQL = Cue(re.compile(r";\s*\w|--|\b(?:select|update|insert|delete|drop)\b[^.!?]{0,80}?(?:=|\*|\btable\b|"
                 r"\bfrom\s+\w+\s+where\b)|\bdrop\s+table\b|\bor\s+'?(\w+)'?\s*=\s*'?\1'?(?!\w)|\b\w+_id\s*=|\b\w{1,40}\s*=\s*'|"
                 r"\balter\s+table\b|/\*|\bdefault\s+(?:true|false|null)\b|"
                 # said aloud: "update jobs set status equals closed where one equals one"
                 r"\b(?:update|set)\s+\w+\s+(?:set\s+\w+\s+)?equals\b|\bwhere\s+(\w+)\s+equals\s+\2\b", re.I))
INJECTION = _rx(r"\b(?:ignore|forget|disregard)\b(?! my (?:previous|last) (?:message|one)\b)"
                r".{0,40}\b(?:instructions?|rules|everything|prompt|told|previous|above|said)\b|\bsystem prompt\b|"
                r"\byou are now\b|\bact as\b|\bassistant\b|\bdeveloper mode\b|"
                r"\bjailbreak\b|\bpretend (?:you|to)\b|\bnew instructions\b|\boverride\b|\bmark\b.{0,30}\bpaid\b|"
                r"\badmin(?:istrator)? (?:mode|access)\b|\byou(?:'re| are) (?:an? |the )?(?:admin|administrator|root|"
                r"superuser|system|developer|manager)\b")
BULK = _rx(r"\b(?:close|closing|mark|bill|delete|cancel|complete|finish|clear|reset|update)\s+(?:out\s+|off\s+|up\s+)?"
           r"(?:everything|all)\b|\beverything on (?:my|the|your)\b|\b(?:them|these|those) all\b|"
           r"\b(?:every|all|each)\s+(?:the\s+|my\s+|of\s+(?:the|my|their|them)\s+|your\s+|their\s+)?(?:other\s+)?"
           r"(?:\w+\s+)?(?:jobs?|tickets?|customers?|work orders?|accounts?|records?|clients?|appointments?|"
           r"others|restaurants?|stores?|sites?|locations?|buildings?|properties)\b|"
           r"\beveryone\b|\beverybody\b|\ball of them\b|\ball the others\b|"
           # ("tightened up the lugs on the others": the other breakers)
           r"\b(?:close|closing|mark|bill|delete|cancel|complete|finish|clear|update|and) (?:out |off |up )?"
           r"the others\b|"
           r"\btickets?\s+\d+\s*(?:through|thru|to|-)\s*\d+\b|"
           r"\bfor everyone\b|\bdatabase\b|\bevery single\b|\bwhole (?:list|schedule|table|board)\b|"
           r"\ball of [\w']+ (?:jobs|tickets|calls|appointments|work orders|customers)\b|"
           # "mark the whole week's work orders done", "put ten hours on each"
           r"\b(?:whole|entire|this|last) (?:week|day|month|route|list)(?:'s)? (?:jobs|tickets|work orders|calls|"
           r"appointments)\b|"
           r"\b(?:close|mark|bill) (?:out )?the rest of (?:today|the day|my|them|these|the)\b")
DESTRUCTIVE = _rx(r"\b(?:delete|wipe|erase|truncate|purge|destroy)\b|\bremove (?:all|every|the ticket)|"
                  # (not the noun: "new drop pipe", "replaced the drop tube", "drop ceiling tiles")
                  r"(?<!\bthe )(?<!\ba )(?<!\bnew )(?<!\bold )\bdrop\b(?!-| (?:pipes?|tubes?|ceilings?|cords?|wires?|"
                  r"cables?|lines?|legs?|in|down|off|by|zones?|box|boxes|tests?|shipped|ship|ears?|tiles?|leg)\b)")

NEXT = _rx(r"\b(?:what|who|where)(?:'s| is| am i| do i| should i| have i| have you| do you| you|'ve we| have we|"
           r" do we| i do| i got)\b[\w\s']{0,20}?"
           r"\bnext\b(?!\s+(?:week|"
           r"month|time|monday|tuesday|wednesday|thursday|friday|saturday|sunday))|"
           r"(?<!\bbefore the )(?<!\bafter the )(?<!\bat the )"
           r"\bnext (?:job|one|call|ticket|stop|appointment|customer|address|assignment|work order|house|place|"
           r"up|on the list)\b|\bwhat(?:'s| is| do i have| have i got| you got| else)?(?: for me)? next\b|"
           r"\bwhich (?:customer|job|one|house|address|ticket|call)\b.{0,25}\bnext\b|"
           r"\b(?:anybody|anyone|who) else (?:waiting|need(?:s|ing)?|on my list|for me)\b|"
           # "then what have I got after that", "what else have i got"
           r"\bwhat (?:have i|have we|do i have|do we have|i|we)(?: got)? after (?:that|this)\b|"
           r"\bwhat else (?:have i|have we|do i have|do we have|did you have|you got)(?: got)?(?: for me)?\s*[?.!]*$|"
           r"\banything (?:left|else) (?:in|on) (?:my|the) (?:queue|list|route|board|schedule|sheet|plate|docket)\b|"
           r"\banything (?:else )?open for (?:me|us)\b|"
           r"\bwho needs me\b|\bis there (?:any )?more (?:in|on) (?:the|my) (?:queue|list|board|schedule)\b|"
           r"\bsend me (?:to|over to) the next\b|\bwhere (?:d'you|do you|d'ya|do ya) want me\b|"
           # "is there maybe another job I could pick up", "got anything else I can grab"
           r"\bgot anything (?:for me|else)\b|\bwhere (?:do )?i go (?:now|next)\b|"
           # "and who's after that", "what's the job after that one?"
           r"\b(?:who's|who is|what's|what is)(?: the (?:job|one|call|stop|ticket))? after (?:that|this)(?: one)?\b"
           r"(?!\s+\w)|"
           r"\b(?:is there|are there|got|have you got|do you have|you have)\s+(?:maybe\s+|possibly\s+|perhaps\s+)?"
           r"(?:another|any other|one more|anything else|something else)\s+(?:job|ticket|call|one)?\s*(?:i|for me)\b|"
           r"\b(?:clear|ready|free) for (?:another|the next|more|a new one)\b|"
           r"\bwhere to after (?:here|this|that)\b|\bwhat(?:cha|chu|'cha) got\b|"
           r"\bwhich (?:customer|job|house|address|stop)\b.{0,30}\bafter (?:here|this|that)\b|"
           r"\banything (?:left|else|more) for me\b|\banything (?:else )?(?:holding|waiting|pending)\b|"
           r"\bgive (?:me|us) (?:another|a new)(?: (?:job|one|ticket))?\b|"
           r"\banything (?:else )?lined up\b|\bwhat(?:'s| is) lined up\b|"
           # "do I have another one today?", "line up whoever's next for me"
           r"\b(?:do|have) (?:i|we) (?:have |got )?(?:another|one more) (?:one|job|call|stop|ticket)\b|"
           r"\bwhere (?:i am|am i|i'm) (?:required|needed|wanted|expected)(?: next)?\b|"
           # "do you have another job for me", "you got anything else for me"
           r"\b(?:do you have|have you got|you got|got) (?:another|one more|anything else|something else|more)"
           r"(?: (?:jobs?|work|tickets?|calls?|stops?|ones?))? for (?:me|us)\b|"
           r"\bopen for (?:another|the next|a new|more)\b|"
           r"\bwhat(?:'ve| have) i got (?:first|lined up)\b|\bwhat(?:'s| is) first (?:today|on the list|for me)\b|"
           r"\b(?:whoever|wherever|whatever)(?:'s| is) next\b|\banything else (?:waiting|lined up) (?:on|for) me\b|"
           r"\bwhich(?:ever)? (?:work order|job|ticket|one|call) is next\b|"
           r"\bwhat else (?:have|do) you (?:got|have) for me\b|"
           r"\b(?:headed|heading|going|off to|go) next\b(?!\s+(?:week|month|time|visit|trip|monday|tuesday|wednesday|"
           r"thursday|friday|saturday|sunday))|\bwhat(?:ever)?(?:'s| is) up next\b|"
           r"\b(?:the|my) following (?:stop|job|call|one|ticket|address|customer|assignment|work order|appointment|"
           r"house|"
           r"place)\b|"
           # "hand me another", "where to?", "which job do I head to after", "tell me where I'm headed"
           r"\b(?:hand|pass|throw|toss|find|set) me (?:up with )?(?:another|the next|my next|one more)\b|"
           r"\bwhere (?:are |you |ya |y'all )*(?:sending|send|taking) me\b|"
           r"\bsend me (?:somewhere|anywhere|wherever|someplace|out|another)\b|"
           r"\bwhere to\s*[?.!]*$|\bwhich (?:customer|job|one|house|address|ticket|call|stop)\b.{0,30}"
           r"\b(?:after|afterwards)\s*[?.!]*$|\bwhere i(?:'m| am) (?:going|headed|heading|off to)\b|"
           r"\b(?:still )?(?:have|got) (?:any )?(?:more )?jobs? for me\b|\bgive me next\b|"
           # "load me another ticket", "drop the next job's address in my phone"
           r"\b(?:load|queue|line) (?:me )?(?:up )?(?:another|the next)(?: (?:one|job|ticket|call))?\b|"
           r"\bnext (?:job|stop|call)'s address\b|"
           # "is there more work for me today", "any other calls waiting"
           r"\b(?:is there|are there|got|any) (?:any )?(?:more|other|another) (?:work|jobs?|calls?|tickets?|"
           r"work orders?)(?: (?:for me|on my list|today|waiting|lined up))\b|"
           r"\b(?:is there|are there) (?:any )?(?:more|other|another) (?:work|jobs?|calls?|tickets?|work orders?)"
           r"\s*[?.!]*$|\bor is there (?:any ?thing )?more\s*[?.!]*$|"
           r"\bwhat (?:do )?i have after\b|"
           r"\bwho(?:'ve| have) i got\b|\bpoint me (?:somewhere|to|at|toward)\b|\bwhatever(?:'s| is) next\b|"
           r"\banything (?:else |more |new )?(?:come|came|coming) in\b|"
           r"\bwhich (?:customer|job|house|address|ticket|call|stop|unit|apartment|building|site|property|"
           r"location)\b.{0,30}\b(?:now|next|after)\s*[?.!]*$|"
           r"\b(?:am i|are we) (?:going|heading|headed|off) (?:anywhere|somewhere) else\b|"
           r"\bwhat(?:'ve| have) i got\b(?:\s*(?:now|next|left|today))?\s*$|"
           r"\bwhere (?:am i|do i|should i|to)\b.{0,20}\b(?:next|after this|now)\b|\bwhere am i (?:going|headed|"
           r"heading)\b|\b(?:ready for|give me|gimme|send me|assign me|got|what's|what is|onto|on to)\s+"
           r"(?:another|the next|my next)\b|\banything else (?:on|for|in)\b|"
           r"\bwho(?:'s| is) next\b|^next\b(?! (?:time|week|month|year|visit|trip|season))|"
           # (not the technician's own plan: "I'll grab some lunch after this", "gonna call the office after this")
           r"^(?:(?!\b(?:i'll|ill|i will|i'm gonna|im gonna|i am gonna|i'm going to|im going to|i am going to|gonna|"
           r"going to|i gotta|i need to|i have to|i've got to|let me|lemme|remind me)\b).)*?\bafter this\b|"
           r"\bwhat(?:'s| is| comes) after (?:this|that)\b|"
           r"\bwhat else (?:is|do i|have i|you got|do we|have we|we got|is there|is on|for today)\b|"
           r"\bmove me (?:on|to the next)\b|\b(?:queue|line|load) (?:me |us )?up\b|"
           r"\bhit me with (?:another|the next|one more)\b|"
           r"\banything (?:else |more )?(?:lined up|queued(?: up)?|waiting|scheduled|booked) for me\b|"
           r"\b(?:is there|there's|there is|got|have you got|any) (?:another|one more|a new) "
           r"(?:call|job|ticket|stop|one)\b"
           r"(?:.{0,12}\bfor me\b| (?:waiting|lined up|queued))|\bsend me (?:somewhere|someplace|anywhere) else\b|"
           # asking for work without the word "next": "what else have you got for me", "where do you need me now"
           r"\bwhat (?:else )?(?:have|do|did|you|ya) (?:you |ya )?(?:got|get|have)\b(?! to\b)(?:.{0,12}\bfor me\b|"
           r"\s*(?:now|left|else)?\s*$)|\bwhat else (?:have|do|did) (?:you|ya)\b|"
           r"\bwhere (?:do|does|would|did) (?:you|dispatch|they|the office) (?:need|want|have|got) me\b|"
           r"\bwhere (?:am i|are we|do i|should i|to)\b.{0,20}\b(?:headed|heading|going|off to|from here|go now|"
           r"now)\b|\bwhat(?:'s| is) (?:left )?(?:on|in) (?:my|the) (?:list|board|plate|schedule|queue|route|sheet)\b|"
           r"\bwhat(?:'s| is) left (?:for me|today|on)\b|\bwhat(?:'s| is) on deck\b|^(?:ok |okay |so |alright )?"
           r"(?:what now|now what)\b|\b(?:any|got any|have any) (?:more|other) (?:jobs|tickets|calls|work|stops)\b|"
           r"\banything else (?:today|left|to do|for me)\b|"
           r"\bwhere(?:'s|'re| are| will| would| do| does| is) (?:you|they|dispatch|the office) "
           r"(?:sending|send|putting|taking) me\b|"
           r"\bwhat (?:have i|do i have|i got|have we|do we have)(?: got)? (?:left|remaining)\b|"
           r"\bwhat(?:'s| is) (?:waiting|lined up|queued(?: up)?|scheduled|booked) (?:for me|next|now)\b|"
           r"\bis there anything else (?:for me|today|on|left|to do)\b|"
           r"\bwhat(?:'s| is) the plan (?:now|next|from here)\b|\bwhat(?:'s| is) up (?:for me|next)\b|"
           r"^(?:ok |okay |so |alright )?(?:you )?(?:got|have you got|is there) anything (?:else|more)(?: for me)?"
           r"(?:$|\s+or\b)")
_MOVE = (r"\b(?<!\bthe )(?<!\ba )(?<!\bnew )(?:push(?!\s+(?:button|buttons|rod|rods|plate|plates|fit|fitting|fittings|"
         r"bar|bars|connect|broom|mower))|pushed|pushing(?! (?:a |an )?(?:\d|one|two|three|four|five|six|seven|eight|"
         r"nine|ten|hundred|thousand|[a-z]+ty\b))|bump|bumped|"
         r"(?:move|moved|(?<!'s )(?<!is )(?<!are )moving)"
         r"(?!\s+(?:the |my |our |his |her |that )?(?:van|truck|car|vehicle|ladder|trailer)s?\b)"
         r"(?!-(?:in|out)\b)|"  # ("move-in prep is done": the tenant's move, no job moved)
         r"shift|slide|kick(?!\s+off)|kicked(?!\s+off)|shove|shoved|punt|punted)\b")
#: "a new time / another day": a move asked for without saying when
_ANOTHER_TIME = r"(?:new|different|another) (?:date|day|time|appointment)"
RESCHEDULE = _rx(r"\bre-?schedul\w*|\bdefer(?:red|ring)?\b|\bre-?book\w*|\bre-?slot\w*|\bpostpon\w*|\bprepon\w*|"
                 # "can you change Yildiz appointment to after 3 o'clock"
                 r"\bchange (?:the |their |his |her )?(?:[\w']+ )?(?:appointment|visit|booking) (?:to|for)\b|"
                 r"\bput (?:it |them |that )?off\b|"
                 r"\bput (?:[\w']+\s+){1,3}off (?:till|until|to|for|til|a (?:day|week|couple)|another|one|two|"
                 r"(?:a )?few)\b|"
                 # "I'm not gonna make the Fairbanks appointment today, put it on Monday"
                 r"\bput (?:it|them|that|him|her|us) (?:on|for|down for) (?:monday|tuesday|wednesday|thursday|friday|"
                 r"saturday|sunday|tomorrow|next)\b|"
                 # "Demirci wants us the week after next", "she'd rather have us Thursday"
                 r"\b(?:wants|would like|prefers|(?:would|'d) rather have|asked for|is asking for) (?:us|me|you|it|"
                 r"them|the visit|the job)? ?(?:to come (?:back |out )?|out |back |over )?(?:the week after|next week|"
                 r"next month|(?:on |this |next )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
                 r"tomorrow)\b|"
                 r"(?<!\btake )(?<!\btakes )(?<!\btaking )\banother day\b|"
                 r"\b(?:would|'d) rather (?:do it|come|have it done|we came)\b.{0,20}\b(?:week|month|monday|tuesday|"
                 r"wednesday|thursday|friday|saturday|sunday|tomorrow|morning|afternoon)\b|"
                 r"\bput (?:[\w']+\s+){0,5}back (?:to|till|until|til) (?:tomorrow|monday|tuesday|wednesday|thursday|"
                 r"friday|saturday|sunday|next|the|after)\b|"
                 # "she want to change the day to Monday"
                 r"\b(?:change|switch) (?:the|her|his|their|our) (?:day|date|appointment|visit|time)\b"
                 r"(?! (?:on|of) (?:the )?(?:clock|timer|thermostat|controller|schedule on))|"
                 r"\b(?:tomorrow|today|tonight|next \w+|(?:on )?\w+day(?: morning| afternoon)?|"
                 r"later (?:in the |this )week)"
                 r"(?: (?:at|around|about|by) [\w:]+(?: ?(?:am|pm|o'clock|thirty))?)? instead\b|"
                 # "switch Tehrani to tomorrow", "switch the Oduya job to Thursday morning" (not "switch it to heat")
                 r"\bswitch (?:[\w']+ ){1,4}?to (?=tomorrow\b|next (?:week|month|\w+day)\b|(?:this |on )?\w+day\b|"
                 r"the \d+(?:st|nd|rd|th)\b|later (?:this|today|in the)\b)|"
                 # "come back on the 22nd instead", "can we do 3 pm instead", "the Dunn visit needs a new date"
                 r"\b(?:the \d+(?:st|nd|rd|th)?|\d{1,2}(?::\d\d)?\s*(?:am|pm|o'clock)?|this \w+|"
                 r"the (?:morning|afternoon|evening|weekend)|the [a-z-]+(?:st|nd|rd|th)|"
                 r"(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                 r"eleven|twelve) o'clock) instead\b|"
                 # "the Moreau appointment, put it for the 14th"
                 r"\bput (?:it|them|him|her|us|that) (?:for|to) the (?:\d+|[a-z-]+)(?:st|nd|rd|th)\b|"
                 r"(?<!\btake )(?<!\btakes )(?<!\btaking )"
                 r"\b" + _ANOTHER_TIME + r"\b"
                 r"(?![ -](?:clocks?|delay|relays?|switch(?:es)?|meters?|stamps?|sheets?|cards?|controls?|timers?)\b)|"
                 # "can ticket 8405 go to later this week"
                 r"\b(?:go|slide|be moved) (?:to|till|until) (?:later|next|tomorrow|\w+day\b|the \d|a fortnight|"
                 r"a week)|"
                 # "put them down for 6 pm Wednesday", "please change to Saturday", "come another day"
                 r"\bput (?:them|him|her|us|it) down for (?=\d{1,2}(?::\d\d)?\s*(?:am|pm)|\w+day\b|tomorrow|next)|"
                 r"\bchange (?:it |that )?to (?=\w+day\b|tomorrow|next)|\bcome (?:an)?other day\b|"
                 r"\b(?:can(?:'t|not)|won't|will not|couldn't|not going to|not gonna) (?:be able to )?make it\b|"
                 r"\bput (?:them|him|her|us|it) on for (?=\d{1,2}(?::\d\d)?\s*(?:am|pm)|\w+day\b|tomorrow|next)|"
                 r"\bput (?:it|them) (?:for|to) (?=next|tomorrow|\w+day\b)|"
                 # "take a rain check on the Kemble vent", "put it on the calendar for next Friday"
                 r"\b(?:take|taking|took) a rain ?check\b|\brain ?check (?:on|for)\b|"
                 r"\bput (?:it|them|that|us|him|her) (?:back )?(?:on|in) the (?:calendar|schedule|books) for "
                 r"(?=next|tomorrow|"
                 r"\w+day\b|the \d|\d)|"
                 # "Rendon has to wait till this afternoon"
                 r"\b(?:(?:has|have|'ll have|will have|is going|is gonna) to|gotta|'s gotta|got to|needs to|need to) "
                 r"wait (?:till|until|for|til) "
                 r"(?=this|next|tomorrow|later|\w+day\b|the \d|\d)|"
                 r"\b(?:can't|cannot|won't) get to (?!it\b)|\bset (?:them|him|her|it|us) (?:up )?for (?=a week|next|"
                 r"tomorrow|\w+day\b)|\bput (?:em|them) down for (?=\d|\w+day\b|tomorrow|next)|"
                 + _MOVE)
#: verbs that move a job only with a time or a job beside them ("push the Smith job", "push it to Monday"); "the push
#: button" is a part and "pushing a hundred and twenty" is the heat
RESCHEDULE_WEAK = _rx(_MOVE)
ANOTHER_TIME = re.compile(_ANOTHER_TIME, re.I)
ORDER = _rx(r"\bneeds? parts\b|"
            # the word boundary first: the look-behinds then run only where a word starts
            r"\b(?<!work )(?<!out of )(?:(?<=-in )|(?<=put in )|(?<!in ))(?<!back-)(?<!back )(?<!already )(?<!been )"
            r"(?<!was )(?<!were )"
            r"(?<!is on )(?<!on )order(?:ed|ing|s)?\b(?!\s+(?:number|no\b|#|to\b|(?:some |a |an |my |me a |us )?"
            r"(?:lunch|dinner|breakfast|food|pizza|coffee|takeout|sandwich|sandwiches|burger|burgers|salad|"
            r"tacos?|burrito|drinks?|sodas?|wings|donuts)\b))|"
            r"\bparts? order\b|\bpick up (?:a|an|some)\b|"
            # "put in a request for a breaker", "get one on order" ("it's on order" was ordered already)
            r"\bput in (?:a |an )?(?:request|req|requisition) for\b|\brequisition\b|"
            # "put in a po for", "send a PO", "parts run for", "source me a cooktop"
            r"\b(?:a|an|the|new|another|raise|cut|send|submit)\s+(?:po|p\.o\.)(?:\s|$|[,.!?])|\b(?:po|p\.o\.)\s+(?:for|number|#)\b|"
            r"\bpurchase order\b|^parts? run\b|"
            r"\bparts? run for\b|^parts? for\b|"
            r"\bsource (?:me |us )?(?:a|an|some|the|two|three|four|\d+|replacement|new)\b|"
            r"\b(?:get|put|getting|putting) (?:[\w'-]+ ){0,14}on order\b|^parts? request\b|\bparts? request for\b")
#: "keep the ticket open for phase two", "no, leave it open": the job stays open
_LEAVE_OPEN = r"\b(?:keep|leave) (?:the )?(?:ticket|job|it|this one|that one) open\b"
LEAVE_OPEN = _rx(_LEAVE_OPEN)
INCOMPLETE = _rx(r"\b(?:not|isn't|isnt|aren't|wasn't|ain't|never|haven't|hasn't|won't|will not|didn't|"
                 r"did not|don't|do not)\s+(?:\w+\s+)?(?:done|finished|finish|complete|completed|close|closed|closing|"
                 r"wrapped|fixed|resolved|sorted)\b|\bnot yet\b|"
                 r"\bstill\s+(?:working|on site|on it|here|testing|troubleshooting|need|"
                 r"needs|waiting|going|diagnosing|at|in progress|running|chasing|have|got|fixing to|trying to)\b|"
                 r"\bin progress\b|\bstill open\b|"
                 # "neither one's finished", "neither of them is done"
                 r"\bneither(?: one| of (?:them|those|the two))?(?:'s| is| are| was)\s+(?:\w+\s+)?(?:done|finished|"
                 r"complete|completed|closed|wrapped)\b|\b(?:job|ticket|work order)(?:'s| is| stays| remains) open\b|"
                 + _LEAVE_OPEN + r"|"
                 r"\bstill (?:over |out )?(?:at|here|there)\b|\bpart ?way\b|\bhalf ?way\b|"
                 r"(?<!\bfor )\bwaiting (?:on|for)\b|"
                 r"\bcom(?:e|ing) back\b|\bongoing\b|"
                 # "is the Mason job done yet", "Mason job (isn't) done yet": not said finished
                 r"\b(?:done|finished|complete|completed|wrapped up) yet\b|"
                 r"\bunfinished\b|\bincomplete\b|\b(?:half|partly|partially|mostly|almost|nearly) (?:done|finished|"
                 r"complete)\b|\bon hold\b|\b(?:haven't|hasn't|have not|has not)\s+(?:[\w']+\s+){0,4}yet\b|"
                 # "nothing's installed yet": no part in, the job goes on
                 r"\bnothing(?:'s| is| has been)\s+(?:[\w']+\s+){0,2}yet\b|"
                 # "I wanna watch it cycle a few times before I call it", "gonna keep an eye on it"
                 r"\bbefore (?:i|we) (?:call it|close it|sign off|mark it)\b|"
                 # "Dunbar partial, two new outlets in": a status said in one word
                 r"\bpartial\b(?=\s*[,.;:!?]|\s*$|\s+(?:update|progress|day))|"
                 r"\b(?:wanna|want to|gonna|going to|need to|have to|gotta) (?:watch|monitor|keep an eye on) "
                 r"(?:it|that|this|the)\b")
#: a part wanted without the word "order": "the fridge needs a defrost timer and I don't have one on the truck",
#: "we're gonna need a blower wheel", "put in for a compressor", "get me two hinges from the supply house".
#: Weaker than every other cue, and only an order when a part is named
ORDER_IMPLIED = _rx(r"\b(?:need|needs|needing)\s+(?:a|an|one|some|two|three|four|five|six|\d+|new|another|"
                    r"replacement|a couple(?: of)?|a pair of)\s+(?!(?:minute|second|hand|break|permit|ladder|helper|"
                    r"look|day|week|hour|moment|tech|technician|callback|call|quote|estimate|ride|lift|camera|scope|snake|"
                    r"jetter|auger|ladder|drill|generator|crew|second tech|pump truck|vac truck|boot|glove|jacket|"
                    r"thing|coffee|lunch|vacation|raise)s?\b)|"
                    r"\b(?:don't|do not|didn't|dont|don't even) (?:have|carry|stock|got) (?:one|any|it|that|them|those|"
                    r"the part|a spare|spares)\b(?: \w+){0,3} (?:truck|van)\b|"
                    r"\b(?:put|putting|send|sending|sent) (?:in|out|away|off) for\b|\bfrom the supply house\b|"
                    r"\bget (?:one|it|them|those|that|some|a new one) (?:coming|on the way|headed|shipped|sent)\b")
#: anything that leaves a job open or unsure, said anywhere in an utterance. A report of work and time with no
#: status word ("faucet's swapped, hour and ten") is taken as the job finished only when none of these is said:
#: every labelled progress report says that the job goes on ("still", "partial", "to date", "back Thursday")
HEDGE = _rx(r"\b(?:still|partial|partly|partially|wip|interim|to date|so far|yet|tomorrow|tonight|later|"
            r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|return|returning|back|open|"
            r"pending|waiting|monitor|monitoring|progress|ongoing|to go|to do|to come|for today|for now|"
            r"gotta|need|needs|have to|has to|got to|must|(?<!nothing )left to|left over|remaining|rest|more|"
            r"another|again tomorrow|"
            r"continue|continuing|resume|halfway|part way|partway|not|isn't|ain't|hasn't|haven't|didn't|"
            r"won't|can't|couldn't|no luck|hunting|chasing|looking|troubleshooting|diagnosing|testing|"
            r"note|notes|update|log|logged|add|added|hours? in|put (?:[\w-]+ ){0,2}hours?)\b")
#: implied completion: the equipment works again (explicit "done"/"close" cues are stronger)
FIXED = _rx(r"(?<!\bwhat)(?<!\bwho)(?<!\bhow)\b(?:is|are|'s) (?:all )?good(?: now| to go)?\b|"
            r"\bbill(?:ed)? (?!.*\bso far\b)|"
            r"\b(?:is|are|'s) (?:fixed|repaired|working (?:again|now|fine)|running (?:again|now|fine)|back up|"
            r"good as new|up and running)\b|\ball fixed\b|\bback in (?:business|service|action|operation)\b|"
            r"\b(?:is|are|'s|'re) back on-?(?:line| line)\b|\b(?:is|are|'s|'re) back on\s*(?:[,;.!?]|$)|"
            r"\b(?<!day )(?<!week )(?<!time )(?<!that )(?<!morning )(?<!afternoon )(?:works|runs|drains|heats|cools)"
            r"(?: (?:again|now|fine|great|properly))?\s*(?:[,;.!?]|$)|"
            r"\ball good now\b|(?<!truck)(?<!\bvan)(?<!\bcar)(?<!engine)(?<!clock)(?<!meter)(?<!\bit)(?<!time)"
            r"(?:\b(?:is|are)|'s) (?:working|running|heating|cooling|draining|operational)\s*[;,.!?]*$|"
            r"\b(?:is|are|'s)\s+(?!leaking|dripping|tripping|failing|smoking|sparking|overheating|freezing|"
            r"making|acting|short"
            # (work still under way: "vacuum's pulling now", "the mud's drying now")
            r"|pulling|drying|curing|charging|settling|soaking|setting|testing|flushing|filling|bleeding|sitting|"
            r"holding|waiting)\w+ing\s+(?:again|now|fine|properly|normally)\b")
#: end-of-shift talk, not a job
CHATTER = _rx(r"\b(?:done|finished|wrapped up|wrapping up|knocking off|calling it|"
              r"(?:clock|clocking|clocked|punch|punching|punched) (?:me )?out|wrap(?: it)? up) for (?:the day|today|"
              r"tonight|"
              r"the night|the week)\b|\bcalling it a day\b|"
              # "traffic on route 9 is backed up for like two hours", "Ray wants to know if we still have that coupon"
              r"\btraffic\b.{0,40}\b(?:backed up|jammed|crawling|at a standstill|bumper to bumper)\b|"
              r"^\w+ (?:wants|wanted|would like) to know (?:if|whether|when|where|what|who|how)\b|"
              # "my coworker Luis says hi", "sitting in the truck waiting for somebody to let me in"
              r"\btalking my ear off\b|"
              # someone else's work, told as news: "my buddy closed out a huge job at the Lindqvist place", "the
              # Whitfield job took him three hours yesterday"
              r"\b(?:my|a) (?:buddy|friend|pal|mate|cousin|brother|sister|dad|father|uncle|neighbou?r)\b.{0,40}?\b"
              r"(?:closed|finished|did|wrapped|fixed|replaced)\b|"
              r"\btook (?:him|her|them) (?:an?|one|two|three|four|five|six|seven|eight|\d+|all) (?:hours?|day|days|"
              r"minutes?|afternoon|morning|week)\b|"
              # "I'll be back on in twenty minutes", "back in ten": a break, no time billed
              r"(?:^|\b(?:i'll|i will|i'm|be|i am) )back (?:on )?in (?:like |about |around )?(?:\w+ )?"
              r"(?:minutes?|mins?|a bit|a few|a sec|a minute|five|ten|fifteen|twenty|thirty|\d+)\b|"
              r"\bsays hi\b|\bsay hi\b|\bsitting in the (?:truck|van|car)\b|\bwaiting (?:for|on) (?:somebody|someone|"
              r"the (?:homeowner|customer|tenant|owner|manager|super|landlord)) to "
              r"(?:let me in|open|show up|get (?:here|home))\b|"
              # "what time does the supply house close": a shop's hours, not a job
              r"\bwhat time (?:does|do|will|is)\b|\b(?:supply house|parts counter|store|shop|warehouse|office)"
              r"(?:'s| is)? (?:close|closes|closed|closing|open|opens)\b|"
              r"\b(?:supply house|parts counter|parts house|store|shop|warehouse)\b[\w\s']{0,30}?\b(?:(?:is|'s) )?"
              r"(?:still )?(?:open|closed)\b|"
              # "they're closed today": the customer's opening hours, not the job
              r"^(?:on |taking |took |at )?(?:my |a )?(?:lunch|break|coffee|lunch break|coffee break)\b|"
              r"\b(?:in|stuck in|sitting in|sat in) traffic\b|\bfinding parking\b|\blol\b|\bbarking\b|"
              r"\bof driving ahead of me\b|^(?:grabbing|getting|taking) (?:a )?(?:coffee|lunch|a bite|food|a break)\b|"
              r"\bfor \S+(?: \S+)? minutes straight\b|"
              r"\b(?:they're|they are|they were|it's|it is|shop's|shop is|store's|store is|office's|office is) "
              r"(?:closed|shut) (?:today|tomorrow|tonight|for the|on \w+days?|until|till|this|all)\b")
CLOSE = _rx(r"\b(?<!old one is )(?<!\bmy back is )(?<!\bmy back's )(?<!\bmy day is )(?<!old one's )(?<!\bam i )"
            r"(?<!rough-in is )(?<!\bdemo is )(?<!framing is )"
            r"(?<!'ll be )(?<!\bwill be )(?<!\bshould be )(?<!\bgonna be )"
            r"(?<!first phase is )(?<!phase one is )(?:done|knock(?:ed)? out (?=work orders?|tickets?|jobs?|both)|"
            r"finished(?! (?:his|her|my|their|our) (?:certification|training|lunch|break|shift|class|"
            r"course|apprenticeship|coffee|degree|exam|test)\b)|"
            r"(?<!to )(?<!gonna )(?<!'ll )(?<!will )finish(?:ing)? up|"
            r"(?<!\ba )(?<!\ban )(?<!\bthe )complete|completed|"
            r"wrapped(?: up)?|wrapping up|(?<!you're )(?<!you are )(?<!youre )all set|"
            r"(?<!i'm )(?<!i am )(?<!we're )(?<!you're )(?<!you are )good to go|"
            r"(?<!after )(?<!they )(?<!road's )(?<!road is )(?<!street's )"
            r"(?<!street is )(?<!bridge's )(?<!bridge is )(?<!highway's )"
            # ("they're closed Monday": the customer's opening hours)
            r"(?!(?:(?<=they're )|(?<=theyre )|(?<=they are ))closed (?:on )?(?:\w+days?|today|tomorrow|tonight|till|"
            r"until|during|at night|in the (?:morning|afternoon|evening)|for the (?:day|week|weekend|holidays?))\b)"
            r"clos(?:e|ed|ing)(?! to\b| time\b|"
            r" (?:at|by|on) (?:noon|midnight|\d|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
            r"(?:mon|tues|wednes|thurs|fri|satur|sun)days)\b)|knocked out|"
            r"buttoned up|that's a wrap|tapos na|that's (?:it|all) for (?:the )?(?=[\w' -]{1,40}?\b(?:place|job|house|"
            r"residence|ticket|home)\b)|"
            r"signed off|sign off|(?:am|is|are|was) finish\b|"
            r"(?<!will )(?<!'ll )(?<!to )(?<!can )(?<!not )(?<!gonna )(?<!the )\bfinish(?!\s+(?:tomorrow|later|today|"
            r"tonight|next|by|before|when|after|on|this|it later|work|carpentry|coat|trim|grade)\b)\b|"
            r"(?:all )?taken care of|squared away|sorted|done deal|"
            r"(?:clock|clocking|clocked|punch|punching|punched) (?:me |it )?out|in the books|put to bed|"
            r"put a fork in it|(?:tick|ticked|check|checked) (?:it |that |this )?off|wrap (?:it |this |that )?up|"
            r"(?:'s|is) a wrap|finish (?:it|that|this|the job)(?: up| off)?|sign (?:it|that|this) off|finito|"
            r"wrap up|nothing (?:left|more|else) to do|"
            # "left the Murakami house spotless": gone from the job
            # (not "left my lunch at the shop", "left the ladder at the Ames place": something left somewhere)
            r"left (?!over\b|my\b|his\b|her\b|our\b|their\b|a\b|an\b|some\b|it\b|them\b)(?:the )?[\w'-]+"
            r"(?: (?!at\b|in\b|on\b|by\b|with\b|for\b|behind\b)[\w'-]+){0,3} (?:house|place|home|residence|property|"
            r"site|shop|office|building|apartment|unit|job)(?! (?:open|unlocked|running|off|on|for)\b))\b")
#: said after "heading to X": the tech goes there later, so nothing starts now ("then I'm heading over to the
#: Dunstan place after lunch")
_LATER = r"[^,.;]*\b(?:after (?:lunch|this|that)|later|this afternoon|tomorrow|next)\b"
#: an order placed before, said as a reference: "same part I ordered for Mrs. Threapleton last week"
ORDERED_BEFORE = _rx(r"\b(?:i|we|you) (?:already |just )?ordered\b[^,.;]*\b(?:last (?:week|month|time)|yesterday|"
                     r"before|previously|a while back)\b")
#: where the tech goes next, said as a statement: "and Hollinshead is my next stop" (not "what's my next stop")
NEXT_STOP_SAID = _rx(r"^(?:and |then |so )?(?!what|where|who|which|whose)[\w' -]{1,40}?\b(?:is|'s) (?:my )?next "
                     r"(?:stop|call|job|one|up)\b")
GOING_LATER = _rx(r"\b(?:heading|headed|going|driving|swinging) (?:over |out |back )?(?:to|by)\b" + _LATER)
#: a question about how things stand, not a command: "is the Achterberg ticket still open?", "did anybody order the
#: pilot assembly yet?", "can you tell me if the Nakashima job got rescheduled?" ("did the yearly flush" is work done;
#: "is it possible to push ...", "can you close ..." ask for a command)
ASKING = _rx(r"^(?:(?:hey|so|um|uh|ok|okay|and|quick question)\s*,?\s*)*(?:"
             r"(?:did|does|has|have|is|are|was|were)\s+(?:anybody|anyone|somebody|someone|we|they|he|she)\b|"
             r"(?:did|does|has|have|is|are|was|were)\s+(?:the|that|this|my|our|their)\b(?:\s+[\w'-]+){1,5}?\s+"
             r"(?:still|yet|already|get|got|come|came|been|open|closed|ordered|scheduled|rescheduled|moved)\b|"
             r"(?:can|could|would) you (?:tell me|let me know|remind me|check) "
             r"(?:if|whether|when|what|how|who|where)\b|"
             r"do you know (?:if|whether|when|what|how|who|where)\b|any (?:word|news|update) on\b|"
             r"any idea (?:if|whether)\b|"
             r"(?:what's|what is|what are|how many|how much|when's|when is|where's|where is)\b"
             r"(?!.*\b(?:next|after|headed|heading|going|now)\b))")


#: what the recogniser heard around the technician: a GPS voice, the radio, a TV ("in two hundred feet, make a
#: U-turn", "you're listening to Drive Time", "next on channel four", "we'll be right back after this")
BACKGROUND = _rx(r"\b(?:you(?:'re| are) listening to|stay tuned|(?:we'll|we will) be right back|after (?:this|these) "
                 r"(?:break|message|messages)|call now|you(?:'re| are) on the air|next on channel|"
                 r"coming up (?:next|after the break)|in (?:\d+|one|two|three|four|five|six|seven|eight|nine|"
                 r"a hundred|(?:one|two|three|four|five|six|seven|eight|nine) hundred|a quarter|a half|half a) "
                 r"(?:feet|foot|yards|miles?|meters|metres)|turn (?:left|right) (?:onto|on to|at)|make a u-turn|"
                 r"^rerouting\b|you have arrived at your destination|your destination is on the (?:left|right))")
#: what was said was meant for someone else: "never mind, I was talking to the homeowner", "sorry, not talking to you"
NOT_TO_ME = _rx(r"\b(?:i was|i'm|im|i am|i was just|was) (?:just )?(?:talking|speaking) to (?:the|my|him|her|them|"
                r"someone|somebody|a|his|their|[a-z]+ here)\b|\b(?:wasn't|was not|not) (?:talking|speaking) to you\b")
#: a question to someone on site: "hey Frankie you done with the sawzall?", "you coming?"
TO_SOMEONE = _rx(r"^(?:hey |yo |ok |okay )?(?:[a-z]+,? )?(?:are |r )?you (?:done with|finished with|coming|ready|"
                 r"good|okay|ok|there|around|free|busy|hungry|almost done)\b")


#: a stage of the job, not the job: "tear-off", "phase one", "the first floor", "units one through twelve"
_STAGE = (r"(?:tear-?off|tearoff|demo|demolition|rough-?in|framing|trench(?:ing)?|excavation|"
          r"(?:first|second|third|fourth|top|ground|upper|lower|main|basement) "
          r"(?:floor|half|part|stage|phase|coat|level)|"
          r"phase (?:one|two|three|four|1|2|3|4|[a-d])|stage (?:one|two|three|1|2|3)|upstairs unit|downstairs unit|"
          r"units (?:\w+ ){0,3}(?:through|thru|to) \w+)")
#: "tear-off's finished on the Halvorsen roof", "finished the first floor at Ashby", "close out phase one", "the
#: job is done, well, the first half is": a stage done, the job still open
STAGE_DONE = _rx(r"\b" + _STAGE + r"(?:(?:\s+[\w'-]+){0,5}?\s+(?:is|are|was)|'s|'re)\s+(?:all\s+|now\s+)?"
                 r"(?:done|finished|complete|completed|wrapped)\b|"
                 r"\b(?:finished|done with|completed|wrapped up|close out|closed out|closing out|close) (?:the )?"
                 + _STAGE + r"\b|"
                 r"\b(?:well,? )?(?:only )?the first (?:half|part|stage|phase) (?:is|was)\b(?! the job)")


START = _rx(r"\b(?:(?<!\bthe )(?<!\ba )(?<!\bnew )"
            r"start(?!-up\b)(?!\s+(?:relay|capacitor|cap|kit|switch|winding|button|assist|component|device)s?\b)"
            r"(?!\s+to finish)"
            # "can you start loading the truck": a chore around the job begun, not the job
            r"(?!\s+(?:loading|unloading|packing|stacking|sweeping|carrying|hauling|putting away|cleaning up|tidying|"
            r"wrapping up|packing up)\b)|"
            r"starting|"
            r"started|begin|beginning|began|(?<=i'm )arrive|(?<=i am )arrive|"
            # "arrive at pham house now": said as it happens
            r"(?:(?<=^)|(?<=^i )|(?<=^we ))arrive (?:at|to)\b(?=.{0,40}\bnow\b)|kick(?:ing)? (?:it |things )?off|"
            r"check(?:ing|ed)? in\b(?! (?:on|with)\b)|check (?:me|us) in\b|"
            r"let's get (?:going|started|rolling)|lets get (?:going|started|rolling)|roll(?:ed|ing) up|commenc\w*|"
            r"made it (?:to|over to|out to)|going in\b|making a start|rock(?:ed|ing) up (?:at|to)|getting stuck in|"
            r"(?:put|get) me on the clock\b|(?:record|log|note) (?:my )?arrival\b|"
            r"heading to\b(?! (?:the )?(?:shop|lunch|supply|supplier|store|office|yard|truck|house now\b))"
            r"(?!" + _LATER + r")|"
            r"firing up (?:job|ticket|work order|the)\b|opening (?:it|her|things) up|"
            r"(?<!\bcash )(?<!\bpaid )(?<!\bpayment )(?<!\bhours )(?<!\bhour )(?<!\bminutes )on ?site|arrived|arriving|"
            r"just got (?:here|to|in)|(?:^|(?<=^i )|(?<=^we ))got in at\b|pull(?:ing|ed) (?:in|into)|"
            r"pull(?:ing|ed) up(?!\s+(?:the|a|an|some|that|those|their|"
            r"all the|old)\s+(?!driveway|drive\b|street|road|curb|house|building|lot\b|parking|garage|gate|front|alley|"
            r"site\b))|"
            r"open (?:up )?(?:the|this|that|my) (?:job|ticket|work order)|knock(?:ing|ed)? on (?:the )?[\w'-]+(?:'s)? "
            r"(?:front |back )?door|walk(?:ed|ing) in(?:to)?|here at|"
            r"i(?:'m| am) inside\b(?=.{0,40}\bnow\b)|"  # "I'm inside Comal County Library now"
            r"i(?:'m| am) (?:here|at)\b(?! (?:about |around |like )?(?:an?|one|two|three|four|five|six|seven|eight|"
            r"nine|ten|half|\d+(?:\.\d+)?) (?:hours?|hrs?|minutes?|mins?|and)\b)|"
            r"heading (?:in(?:to)?|over to|out to|to the)(?!" + _LATER + r")|on my way to|"
            r"getting going|"
            r"on scene|on location|"
            r"going over to|(?:clock|clocking|clocked|punch|punching|punched) (?:me |myself )?in|"
            # (not "somebody parked in front of the dumpster again": someone else)
            r"(?<!\bsomebody )(?<!\bsomeone )(?<!\bthey )(?<!\bhe )(?<!\bshe )(?<!\bwho )"
            r"(?:just )?parked (?:at|outside|in front of|out front of)|boots on the ground|"
            r"(?:gonna |going to |about to )?(?:get|getting) into it|(?:about to )?crack(?:ing)? on\b|"
            r"^(?:i'm |we're )?(?:back )?on the clock$|"
            r"got here)\b")
#: "at the Fuentes residence" on its own: probably arriving, unless a later clause says the job is done
START_WEAK = _rx(r"^at (?:the )?\w+(?: (?:house|place|residence|home)|'s)(?: now)?$")
UPDATE = _rx(r"\b(?:update|updating|log(?!\s+(?:that|it|this)\b(?!\s+(?:as|on|under)\b))|logged|logging|add|added|"
             r"adding|so far|put (?:it |that )?(?:on|in) the|"
             # "put an hour on kostiuk for today": time logged against a job
             r"put (?:down )?(?:an?|one|two|three|four|five|six|seven|eight|\d+(?:\.\d+)?|half an?) "
             r"(?:hour|hours|hrs?|minutes?|mins?)"
             r"(?: and (?:a )?(?:half|quarter))? (?:on|for|in)\b|"
             r"progress|note that|(?<!\ba )(?<!\bthe )partial(?= (?:on|for|at)\b))\b")

#: time logged against a job before anything else is said: "put an hour on kostiuk for today and ..."
TIME_LOGGED = _rx(r"\b(?:put|log|logged) (?:down )?(?:an?|one|two|three|four|five|six|seven|eight|\d+(?:\.\d+)?|"
                  r"half an?) (?:hour|hours|hrs?|minutes?|mins?)\b|"
                  r"\bso far\b")
CONFIRM_STRONG = phrase_set(
    "yes|yep|yup|yes please|absolutely|definitely|correct|confirm|confirmed|affirmative|exactly|perfect|"
    "please do|do it|go ahead|go for it|sounds good|that works|works for me|that's right|that is right|"
    "that's correct|that is correct|mm-hm|mm-hmm|mmhm|mhm|uh-huh|you got it|sure thing|of course|for sure|"
    "yes sir|roger|roger that|copy that|that's it|do that|looks good|that's good|all good|yeah do it|"
    "right on|sure go ahead|you bet|indeed|that's fine|fine by me|make it so|good|ten four|10 4|copy|affirm|"
    "that's the one|that's the right one|that one|sounds right|that sounds right|sounds about right|"
    "that sounds about right|spot on|ten-four|10-4|send it|send it through|put it through|push it through|"
    "submit it|submit that|save it|save that|log it|checks out|that checks out|all checks out|that all checks out|"
    "all correct|that's all correct|lock it in|book it|go with that|go with it|make it happen|bingo|yessir|"
    "yes ma'am|sounds great|that'll work|that will work|that'll do|looks right|that looks right|bet|say less|"
    "is correct|it's correct|is right|po|yes po|opo|that's the right house|that's the right job|that's the right place|"
    "that's the right address|that's the right customer|that's the right unit|that's the right apartment|"
    "that's the right building|the right house|the right job|that's them|that's him|"
    "that's her|that's a go|that's a go from me|it's a go|bang on|bang on yeah|ja that's correct|go ahead with it|"
    "go ahead with that|roger go ahead|send that off|send it off|send that through|that lines up|lines up|"
    "that all lines up|that tracks|on ye go|on you go|away ye go|that's fine by me|"
    "roger go ahead with it|go with it|run with it|roll with it|that'll work run with it|that'd be great|"
    "that would be great|that'd be perfect|that would be perfect|that'd be good|that would be good|"
    "that'd work|that would work|go head|sound good|sounds good to me|yes sir sounds good|"
    # formal: "That is quite right.", "I can confirm that.", "Certainly, please proceed."
    "that is quite right|quite right|i can confirm that|i can confirm|certainly|please proceed|proceed|"
    "you may proceed|very good|i think so|i believe so|i guess so|i suppose so")
#: (a weak yes answers only when it is all that was said: "good to go" alone, not "..., good to go, swapped ...")
CONFIRM_WEAK = phrase_set("ok|okay|yeah|ya|yea|sure|alright|all right|right|fine|cool|k|great|aye|ja|good to go|"
                          "is good|is ok|is okay|is fine|it's good|it's all good|is all good|go|"
                          "righto|right-o|sweet|sweet as|grand|grand so|that's grand|sound|"
                          "that's good to go")
#: sounds that colour an answer without changing it: "ugh, never mind", "oh yes"
INTERJECTIONS = phrase_set("ugh|oh|ah|hmm|mm|mmm|hm|well|man|geez|jeez|um|uh|er|so|hey|look|thanks|thank you|go on and|"
                           "on god|fr|no cap|ngl|bro|fam|deadass|lowkey|"
                           "i am afraid|i'm afraid|"
                           "please|sorry|for me|to me|then|buddy|boss|sir|ma'am|mate|hold on|wait up|wait|for now|"
                           # hedges around an answer: "yeah, I think that's right", "sure, I guess that works"
                           "i think|i guess|i suppose|i believe|i reckon|pretty sure|i'm pretty sure")
DECLINE = phrase_set("no|nope|nah|no thanks|hold off on that|hold off on it|negative on that|"
                     "no thank you|not now|not right now|not yet|don't|do not|don't do that|"
                     "don't do it|cancel|cancel that|cancel it|negative|never mind|nevermind|stop|hold off|wrong|"
                     "that's wrong|that's not right|that is wrong|not that|no way|skip it|skip that|forget it|leave it|"
                     "don't bother|no sir|not today|not really|no no|wrong job|wrong one|wrong customer|wrong ticket|"
                     "that's the wrong job|not that one|hold off on that|hold off on it|hold on that|"
                     "don't do that yet|not so fast|leave it as is|leave it alone|keep it as is|as is|no change|"
                     "don't submit that|don't submit it|don't send that|don't send it|don't save that|"
                     "no changes|don't change it|don't change anything|incorrect|that's incorrect|not correct|"
                    "that's not correct|don't touch it|don't touch that|don't touch anything|leave that|"
                    "leave that alone|belay that|negatory|no good|that's not it|i'll pass|pass|no need|not needed|"
                    "naw|naw that ain't it|that ain't it|that ain't right|ain't right|nah that ain't it|"
                    "leave it be|let it be|leave it for now|not for now|hold off for now|skip it for now|"
                    "nix that|nix it|that's not what i said|hold on that's not what i said|not what i said|"
                    "let it ride|let's hold off|let's hold off for now|let's not|let's hold off on that|let's wait|"
                    "let's wait on that|yeah no|yeah nah|definitely not|absolutely not|certainly not|no definitely not|"
                    # formal: "I am afraid that is incorrect", "Please disregard my previous message"
                    "that is incorrect|i am afraid that is incorrect|i'm afraid that's incorrect|"
                    "i'm afraid that is incorrect|i am afraid not|i'm afraid not|afraid not|disregard that|"
                    "please disregard that|disregard my previous message|please disregard my previous message|"
                    "disregard my last message|please disregard my last message")
#: "don't close it" said as the whole answer ("Hold on, no, don't close it."), not beside what to do instead
DONT_DO = phrase_set("don't close it|don't close that|do not close it|don't order it|don't order that|don't move it|"
                     "don't move that|don't start it|don't bill it|don't bill that|don't close it yet")
#: a refusal said as a sentence: "I'd rather you didn't do that just yet", "please don't save it"
DECLINE_SAID = _rx(r"\b(?:i'd |i would )?rather you didn't\b|\bi'd rather not\b|"
                   # "no hold off till I talk to the homeowner", "negative, that's the other crew's job"
                   r"^(?:no,? )?hold off (?:on (?:that|it|this) )?(?:till|until|for now|on it)\b|"
                   r"^negative\b(?=.*\b(?:other|not (?:mine|ours|my))\b)|"
                   r"\b(?:please )?(?:don't|do not) (?:save|submit|send|log|change|close|record|book|file) "
                   r"(?:it|that|this|anything)\b|\bi don't think that's (?:right|correct)\b")
REPEAT = _rx(r"\b(?:(?<!\bi )(?<!\blet me )repeat|(?<!\blet me )(?<!\bi'll )(?<!\bi will )(?<!\bnever )(?<!\bshould )"
             # (not "I should say it like this: ...", "I can never say that": the speaker's own words)
             r"say (?:that|it|again)(?!'s| is| was| like\b| (?:it|the|he|she|they|we|you|i)\b)|"
             r"say what(?: now)?\s*[?.!]*$|"
             r"read (?:it|that|the last (?:part|bit)) back|"
             r"come again|one more time|didn't (?:catch|hear)|"
             r"did not (?:catch|hear)|(?:didn't|did not) get (?:that|it|what|you|all|the last|any of that)\b|"
             r"what you say\b|\bwhich (?:customer|job|house|address|ticket|one|place) (?:was|is) (?:that|it)\b|"
             r"missed that|(?:i |i just )?missed (?:the|that) (?:last )?(?:part|bit)|"
             r"what was that|what did you say|what'd you (?:just )?say|again please|pardon|"
             r"what did i miss|what'd i miss|you lost me|one more go|"
             r"can't hear|couldn't hear|didn't understand|read (?:that|it|this|them) back|read back|"
             r"run (?:that|it)(?: last (?:part|bit))? (?:by|past) me|what did you just say|"
             r"(?:don't|do not) (?:hear|understand) you|"
             r"say (?:it )?one more|(?:only |just )?caught half of (?:that|it|what you said)|"
             r"go over (?:that|it) again|"
             r"lost you|cut out on me|what (?:was|is) the question|"
             r"(?:would|could) you (?:mind )?repeat(?:ing)?|didn't quite (?:catch|get|hear)|"
             r"did not quite (?:catch|get|hear)|reading (?:that|it) back|run (?:that|it) back|"
             r"^once more\b(?: please| for me)?\s*[?.!]*$|"
             # "the last bit cut out", "you're breaking up": the reply did not get through
             r"(?:you|it|that|your (?:voice|audio)|the (?:last |first )?(?:bit|part|end|reply|message|answer|audio))"
             r" (?:just )?(?:cut|cuts|cutting|broke|breaking|went) (?:out|up|off)|you(?:'re| are) breaking up)\b")
REPEAT_ALONE = phrase_set("what|huh|pardon|sorry|again|eh|what's that|once more|once more please|wait what|"
                          "what now|come again")
UNDO = _rx(r"\b(?:undo|un-do|scratch that|take (?:that|it) back|(?<!will )revert(?! back)|reverse (?:that|it|what)|"
           r"roll (?:that |it |this )?back|(?:cancel|reverse|take back) what i just|go back on that|"
           r"(?:cancel|take back|undo|reverse|never ?mind|forget) (?:that |the )?last (?:one|command|thing|change)|"
           r"that was wrong)\b")

#: a negation right before a cue verb, with only "meant to", "have", "it" and the like between:
#: "didn't mean to close it", "shouldn't have marked it done", "no need to reschedule"
NEGATED_CUE = _rx(r"\b(?:not|never|didn't|did not|don't|do not|doesn't|does not|wasn't|was not|weren't|haven't|"
                  r"hasn't|hadn't|have not|has not|can't|cannot|couldn't|isn't|aren't|"
                  r"shouldn't|should not|wouldn't|won't|will not|no need to|no reason to|nothing to|without|"
                  r"don't need to|didn't need to)"
                  r"(?:\s+(?:mean|meant|intend|intended|want|wanted|supposed|going|gonna|need|needed|have|had|"
                  r"to|be|been|ever|actually|really|even|yet|i|we|you|they|it|that|this|them|the|a|an|any|just|mark|"
                  r"marked|put|set|get|got|go|gone|call|called|able|try|trying|tried|plan|planning|think|thought|"
                  r"sure|ask|asked|asking|tell|told|say|said|part|parts|one|anything|something))*\s+$|"
                  # "I never wanted the Barrett job pushed": a wish denied, its object before the verb
                  r"\b(?:never|didn't|did not|don't|do not)\s+(?:\w+\s+)?(?:want|wanted|need|needed|ask|asked|"
                  r"tell|told|say|said|mean|meant)\b(?:\s+[\w']+){0,6}\s+$")
#: a command given before, reported: "I already closed the Pham job" ("it's already done" is a status)
ALREADY = _rx(r"\b(?:already|previously|earlier)\s+(?:\w+\s+)?$")
#: "starting at Nakamura's, the one we moved from yesterday": which job, by how it was moved before
MOVED_BEFORE = _rx(r"\b(?:the one|that|which|the job|the visit)\s+(?:we|i|you|they|dispatch|the office)\s+"
                   r"(?:just\s+)?$")
MOVED_VERBS = phrase_set("moved|pushed|rescheduled|bumped")
#: the place shut, not the job finished: "move ticket 2291 to the 14th, they're closed that day", "got to Lam Bakery,
#: they were closed", "office is closed Thursday"
SHUT = _rx(r"\b(?:they|they're|theyre|shop|store|office|place|business|restaurant|building|plant|clinic|school|site|"
           r"gate|front desk|(?:it|that|which)(?='s| is| was| will| 'll))\s*(?:'re|are|were|was|is|'s|will be|'ll be|"
           r"gonna be|are gonna be)\s+closed\b(?:\s+(?:that day|today|tomorrow|tonight|on\b|for\b|till|until|til|"
           r"through|over|all|this|next|every|(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
           r"weekend)s?\b|when|by the time)|(?<=were closed)|(?<=was closed))")
ALREADY_VERBS = phrase_set("closed|ordered|rescheduled|pushed|moved|bumped|started|marked|logged")
#: words that point back at an earlier command: inside an undo, "I just closed it" names nothing new
PAST_REFERENCE = _rx(r"\b(?:meant|mean to|supposed to|by mistake|by accident|accidentally|should(?:n't| not)? have|"
                     r"(?:was|were) (?:a |my |an )?(?:mistake|error|accident|wrong)|in error|"
                     r"just (?:closed|ordered|rescheduled|pushed|started|marked|logged|updated|moved|sent|did)|"
                     r"i (?:closed|ordered|rescheduled|pushed|started|marked|logged|updated|moved|did)|"
                     r"(?:that|which|the one) (?:i|you) (?:just )?(?:closed|ordered|rescheduled|pushed|started|"
                     r"marked|logged|updated|moved|did))\b")
#: ("too small", "too late": a degree, not another job)
TOO = _rx(r"\b(?:too(?!\s+(?:small|big|large|short|long|much|many|late|early|old|hot|cold|far|high|low|tight|loose|"
          r"wide|narrow|heavy|bad|expensive|busy|soon)\b)|also|as well|same)\b")
MAYBE = _rx(r"\b(?:might|may|could|probably|maybe|perhaps|wants? a (?:quote|price|estimate))\b")
PRONOUN = _rx(r"\b(?:them|em|they|their|it|that|this|those|there|him|her)\b")
CLOCK = r"(?:\d{1,2}(?::\d\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon)"
WHEN = _rx(r"\b(?:(?:to|for|until|till|on|at|by)\s+)?(?:tomorrow(?: morning| afternoon| evening| night)?|"
           r"tonight|later(?: today| this week)?|next (?:week|month|time|monday|tuesday|wednesday|thursday|"
           r"friday|saturday|sunday)(?: morning| afternoon| evening)?|(?:this |next )?(?:monday|tuesday|wednesday|"
           r"thursday|friday|saturday|sunday)(?: morning| afternoon| evening)?|the \d+(?:st|nd|rd|th)?|"
           r"this (?:afternoon|evening|week|weekend)|the (?:weekend|afternoon|morning)|"
           r"(?:my )?" + CLOCK + r" o'clock)"
           r"(?:\s+at\s+" + CLOCK + r"(?:\s*(?:am|pm|o'clock|thirty))?)?|\bat " + CLOCK + r"\s*(?:am|pm|o'clock)?")
WHEN_LEAD = re.compile(r"^(?:to|for|until|till|on|by)\s+", re.I)
#: a corrected amount said with "actually" after it: "bill three hours, hmm, two and a half actually"
CORRECTION_AFTER = _rx(r"[,.;]\s*(?:(?:hmm+|um+|uh+|er+|well|no|wait)\s*[,.]?\s*)?(\d+(?:\.\d+)?)\s*(?:hours?|hrs?)?\s+"
                       r"actually\b")
CORRECTION = _rx(
    r"\b(?:no|nope|actually|i mean|make (?:that|it)|call it|sorry|wait|correction|or rather|rather|scratch that|"
    r"well|let's say|so)\b"
    r"[\s,.!?]*(?:no\b[\s,.]*)?(?:wait\b[\s,.]*)?(?:make (?:that|it)|call it|closer to|more like|(?:so )?let's say|"
    r"(?:so )?let's go with|(?:so )?let's call it|put|bill(?: them| it| em)?(?: for)?|charge(?: them| it)?)?"
    r"\s*(\d+(?:\.\d+)?)\b"
    r"(?:\s+([1-5]\d)\b)?"
    r"(?!\s*(?:hours?|hrs?|minutes?|mins?|[\d.]|amp|volt|percent))")
ADDED = _rx(r"\b(?:plus|another|and another|on top)\b")
#: "..., three and a half, close it", "new circulator pump three and a half close it": the close said after the time
_CLOSE_TAIL = (r"(?:\s*,?\s*(?:close (?:it|that|this one|her|him)(?: out| up)?|"
               r"(?:and )?(?:it's |i'm )?(?:done|finished)))?")
BARE_NUMBER = re.compile(r"(?:^|,|\b(?:that|this) (?:one|1) (?:was|took)|(?<=[a-z]) (?=\d{1,2}\.\d+" + _CLOSE_TAIL
                         + r"\s*$))\s*"
                         r"(\d+(?:\.\d+)?)\s*(?:so far|total|in total|"
                         r"all told|on the clock|"
                         r"of labou?r)?\s*(?:[,.!?]\s*)*" + _CLOSE_TAIL + r"\s*(?:[,.!?]\s*)*$")
MINUTE_MARKS = {15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 45.0, 50.0, 55.0}
BILL_BARE = _rx(r"\b(?:bill|billed|charge|put down|put (?:me|us|it|him|her|them|em) down|log)\s+"
                r"(?:them|em|him|her|it|the customer|me)?\s*"
                       r"(?:for\s+|at\s+)?(\d+(?:\.\d+)?)\b(?!\s*(?:hours?|hrs?|minutes?|mins?|[\d.]|amp|volt|"
                       r"percent|dollars|bucks|parts?|of|am\b|pm\b|a\.m|p\.m|o'clock|rate))")
#: the time given as a labelled field: "Hours: two.", "labour: 1.5"
#: (the clauses of a command are joined with " , ", so "Hours: two" reads "hours , 2")
#: ("Labor 1.5, parts: ...", "Labor: hours 2": the field's name said without a colon, or twice)
HOURS_LABEL = _rx(r"\b(?:hours|hrs|labou?r)(?:\s*[:=,]\s*|\s+)(?:(?:hours|hrs)(?:\s*[:=,]\s*|\s+))?(\d+(?:\.\d+)?)\b"
                  r"(?!\s*(?:minutes?|mins?|[\d:]|[a-z]))")
TICKET = _rx(r"(?:\b(?:ticket|job|work order|wo|call)|#)\s*(?:,\s*(?=number\b))?(?:number\s+|no\s+|#\s*)?"
             r"((?:\d+)(?:\s+\d+)*)\b(?!\s*(?:\.\d|hours|hrs?|minutes?|mins?|am\b|pm\b))"
             # "ticket 9833 hour and ten minutes": a job number of three or more digits, then "(an) hour"
             r"(?!(?<=\b\d)\s*hour|(?<=\b\d\d)\s*hour)")
#: what follows a small number that counts parts rather than naming a job: "order the Barrett job two new valves"
#: (a number said in groups, "ticket thirty-two fifty new disposal", stays the ticket)
QUANTITY_AFTER = re.compile(r"\s+(?:new|more|extra|replacement|spare|additional|brand|of|half|quarter)\b")
#: a size after the number: its last group is the size, not part of a ticket ("job one 40 gallon heater")
UNIT_AFTER = re.compile(r"\s+(?:inch|inches|foot|feet|amp|amps|volt|volts|gallon|gallons|ton|tons|horsepower|hp|watt|"
                        r"watts|psi|btu|btus|hz|phase|pole|micron|microns)\b")
#: two jobs named together: "tickets 7150 and 7151", "work orders forty four ten and forty four twelve"
TICKET_PAIR = _rx(r"\b(?:tickets?|jobs?|work orders?|wos|calls|numbers?)\s+(?:number\s+|#\s*)?((?:\d+)(?:\s+\d+)*)\s*"
                  r"(?:and|&)\s+(?:ticket\s+|job\s+|work order\s+|number\s+|#\s*)?((?:\d+)(?:\s+\d+)*)\b"
                  r"(?!\s*(?:\.\d|hours?|hrs?|minutes?|mins?))")
#: where the time of each of two jobs is said: "the first one an hour, the second one forty five minutes"
FIRST = _rx(r"\b(?:the )?first(?: one)?\b")
SECOND = _rx(r"\b(?:the )?(?:second|other|last)(?: one)?\b")
EACH = _rx(r"\b(?:each|apiece|a piece)\b")
#: the time said once for every job named: "close out Pham and MacAskill, forty minutes each"
TIME_EACH = re.compile(r"\b(?:hours?|hrs?|minutes?|mins?|half|quarter)\s+(?:each|apiece|a piece|per (?:job|house|"
                       r"unit|ticket|place|one))\b|\beach (?:one |job |of them )?(?:gets|got|took|was|is) (?:an?|one|"
                       r"two|three|four|five|half|\d)", re.I)
#: a job number opening the clause, then its status: "ninety four oh seven is closed"
TICKET_STATUS = _rx(r"^((?:\d+)(?:\s+\d+)*)(?: (?:is|was)|'s| 's) (?:closed|done|finished|complete|completed|"
                    r"wrapped)\b|"
                    # "... and 3067 done too": a job number said alone after "and", then its status
                    r"^and (\d{3,6}|\d{1,2}(?:\s+\d{1,2}){1,2}) (?:closed|done|finished|complete|completed|wrapped)\b|"
                    # "... and 64 13 took an hour 20": a job number, its word left out, after "and"
                    r"^(?:and )?(\d{3,6}|\d{1,2}(?:\s+\d{1,2}){1,2})(?:'s|\s+(?:took|had|needed|got|went|ran))\b")
#: a ticket number taken back at once: "ticket 6120, correction, 6210", "job 4412 no 4421"
#: "..., and eighty two seventy one too": another job number, its word left out
#: "..., same for seventy seven oh three": the same again for another job number
TICKET_TOO = _rx(r"^(?:and |plus )?(\d{3,6}|\d{1,2}(?:\s+\d{1,2}){1,2})\s+(?:too|as well|also)\s*[.!?]*$|"
                 # ("... 8842 too, 20 minutes": its own time after it)
                 r"^(?:and |plus )?(\d{3,6}|\d{1,2}(?:\s+\d{1,2}){1,2})\s+(?:too|as well|also),?\s+(?:[\w.]+\s+){0,4}?"
                 r"(?:hours?|hrs?|minutes?|mins?)(?:\s+and\s+(?:a\s+)?(?:half|quarter))?\s*[.!?]*$|"

                 r"^(?:and |plus )?(?:the )?(?:same|ditto)(?: thing| deal| goes| again)? (?:for|with|on) "
                 r"(\d{3,6}|\d{1,2}(?:\s+\d{1,2}){1,2})\s*[.!?]*$")
TICKET_FIX = _rx(r"\b((?:\d+)(?:\s+\d+)*)(?:\s+(?:is|was|'s|can be)\s+(?:done|wrapped|finished|complete|completed|"
                 r"closed|all set|good))?\s*[,.]?\s*"
                 r"(?:(?:no|correction|sorry|i mean|make that|make it|wait|oops|uh)\b[\s,.]*)*"
                 r"(?:no|correction|sorry|i mean|make that|make it|wait|"
                 r"scratch that|actually|rather)\b(?:\s*[,.]\s*|\s+)(?:ticket |job |number |work order )?"
                 r"((?:\d+)(?:\s+\d+)*)\b(?!\s*(?:hours?|hrs?|minutes?|mins?|[.]\d))")
TICKET_AFTER_VERB = _rx(r"(?:\b(?:close|closing|start|starting|finish|finished|update|reschedule)\s+(?:out\s+)?|"
                        r"\bparts (?:on|for)\s+)"
                        r"(\d{3,6}|\d{1,2}(?:\s+\d{1,2}){1,2}(?=\s+(?:is|was|'s|closed|done|finished|complete|a\b|now\b|"
                        r"two|one|three|,)|\s*,|\s*$))\b(?!\s*(?:\.\d|hours?|hrs?|minutes?|mins?|am\b|pm\b|amps?|"
                        r"volts?|gallons?))|"
                        # "... and reschedule nine oh three to next week", "move 903 to Friday": a job number moved to a
                        # day (not to a clock time: "move 930 to 10")
                        r"\b(?:reschedule|move|push|bump)\s+(\d{3,6}|\d{1,2}(?:\s+\d{1,2}){1,2})\s+(?:to|till|until|"
                        r"back to|out to|over to)\s+(?!\d|one\b|two\b|three\b|four\b|five\b|six\b|seven\b|eight\b|"
                        r"nine\b|ten\b|eleven\b|twelve\b|noon\b)")
WORK_VERB = _rx(r"\b(?:replac\w*|swap\w*|chang\w*|install\w*|put in|clean\w*|check\w*|adjust\w*|test\w*|"
                r"inspect\w*|troubleshoot\w*|recharg\w*|diagnos\w*|repair\w*|fix\w*|used|new|added|tighten\w*|"
                r"flush\w*|reset|rewir\w*|hook\w* up)\b")


_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['\-])*")


def word_list(low: str) -> list[str]:
    """The words of a lowercase clause."""
    return _WORD.findall(low)


@functools.cache
def _edge_words(phrases: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The words the phrases start with, and those they end with."""
    return frozenset(p.split(" ")[0] for p in phrases), frozenset(p.split(" ")[-1] for p in phrases)


def segment(words: list[str], phrases: frozenset[str], strong: frozenset[str] = frozenset()) -> tuple[bool, bool]:
    """Can ``words`` be cut into phrases of ``phrases`` (up to four words each)? And can that use a
    phrase of ``strong``?"""
    n = len(words)
    firsts, lasts = _edge_words(phrases)
    if not n or words[0] not in firsts or words[-1] not in lasts:  # no cut can start or end there
        return False, False
    reach: list[set[bool]] = [set() for _ in range(n + 1)]
    reach[0].add(False)
    for i in range(n):
        for used in tuple(reach[i]):
            for j in range(i + 1, min(n, i + 4) + 1):
                phrase = " ".join(words[i:j])
                if phrase in phrases:
                    reach[j].add(used or phrase in strong)
    return bool(n and reach[n]), True in reach[n]


def cue(low: str) -> Action | None:
    """The action a piece of text asks for, judged by its verbs alone."""
    if NEXT.search(low):
        return Action.next_ticket
    m = RESCHEDULE.search(low)
    if m and (not RESCHEDULE_WEAK.fullmatch(m.group(0)) or WHEN.search(low, m.end())):
        return Action.reschedule_ticket  # "... and we'll push em to Thursday": a moving verb with a time
    if ORDER.search(low):
        return Action.order_parts
    if INCOMPLETE.search(low):
        return Action.update_ticket
    if CLOSE.search(low):
        return Action.close_ticket
    if START.search(low):
        return Action.start_ticket
    return None

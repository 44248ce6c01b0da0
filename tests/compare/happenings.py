"""Made-up reports of two invented happenings of one kind (a dam breach, a ferry sinking),
each told by three invented outlets in their own words: shared by the story tests."""

DAM = [
    ("dam-1", "Dam breach floods Velmora valley",
     "The Kestrin Dam on the Oru River gave way on Tuesday, flooding the Velmora valley. "
     "Governor Anika Dral said 14 people were missing and 3,000 had left their homes."),
    ("dam-2", "Velmora flood: governor blames contractor",
     "Governor Anika Dral accused the builder of the Kestrin Dam of cutting corners after "
     "the Oru River swept through Velmora. Rescue teams searched for 14 missing residents."),
    ("dam-3", "Thousands flee as Kestrin Dam fails",
     "About 3,000 residents of Velmora fled when the Kestrin Dam failed. Officials under "
     "Governor Dral said the Oru River rose two metres in an hour; 14 are missing."),
]

FERRY = [
    ("ferry-1", "Ferry sinks off Port Halvik",
     "The ferry Morning Tern sank off Port Halvik on Friday with 60 passengers aboard. "
     "Coast guard captain Jorin Vass said 52 were rescued."),
    ("ferry-2", "Morning Tern disaster: 8 still missing",
     "Eight passengers of the Morning Tern remain missing after the ferry went down near "
     "Port Halvik. Captain Jorin Vass of the coast guard led the rescue of 52 people."),
    ("ferry-3", "Coast guard rescues 52 from sinking Morning Tern",
     "The coast guard pulled 52 people from the sea off Port Halvik when the Morning Tern "
     "capsized; captain Vass said the search for eight more continues."),
]

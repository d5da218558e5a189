# frozen_string_literal: true

# bindings/ruby/test/test_km.rb - Kaplan-Meier retention curves: the curves,
# quantiles, RMST and survival of tests/test_km.c's data sets against the R
# values it holds (survival 3.5.3, printed with %.17g), fit and fit_int
# bit-identical, weights, the example of libcs_km_fit(3), and every error.
require_relative 'test_helper'

class TestKm < Minitest::Test
  NA = nil # R's NA: libcs gives lower = upper = S there
  INF = Float::INFINITY # R's Inf std.err once S is 0: libcs gives NaN

  # tests/test_km.c's data sets: durations t, events e (weights w), and R's
  # columns (lower2, upper2 at level 0.9), quantiles q at qp (NA: never
  # reached), RMST at tau, S at times at.
  R = {
    mp6: {
      t: [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35],
      e: [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0],
      time: [6, 7, 9, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 34, 35],
      n_risk: [21, 17, 16, 15, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 2, 1],
      n_event: [3, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0],
      n_censor: [1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 2, 1, 1],
      surv: [0.8571428571428571, 0.80672268907563016, 0.80672268907563016, 0.75294117647058811,
             0.75294117647058811, 0.69019607843137243, 0.62745098039215674, 0.62745098039215674,
             0.62745098039215674, 0.62745098039215674, 0.53781512605042003, 0.44817927170868338,
             0.44817927170868338, 0.44817927170868338, 0.44817927170868338, 0.44817927170868338],
      std_err: [0.089087080637474794, 0.10776353058777924, 0.10776353058777924, 0.12796438288308193,
             0.12796438288308193, 0.15475994592401993, 0.18177334775294937, 0.18177334775294937,
             0.18177334775294937, 0.18177334775294937, 0.2384346320542351, 0.30030718788629052,
             0.30030718788629052, 0.30030718788629052, 0.30030718788629052, 0.30030718788629052],
      lower: [0.61971795526598394, 0.56314656462223334, 0.56314656462223334, 0.50319951079995651,
             0.50319951079995651, 0.43161022248618408, 0.36751085598750205, 0.36751085598750205,
             0.36751085598750205, 0.36751085598750205, 0.26777893676713499, 0.18805200595923241,
             0.18805200595923241, 0.18805200595923241, 0.18805200595923241, 0.18805200595923241],
      upper: [0.95155174764699701, 0.92280901920288039, 0.92280901920288039, 0.88936183516926537,
             0.88936183516926537, 0.84906596334945061, 0.80491218947184118, 0.80491218947184118,
             0.80491218947184118, 0.80491218947184118, 0.7467907176353944, 0.68014262849524132,
             0.68014262849524132, 0.68014262849524132, 0.68014262849524132, 0.68014262849524132],
      lower2: [0.67110678059217288, 0.61247854398557933, 0.61247854398557933, 0.55112338192788457,
             0.55112338192788457, 0.47870030967424398, 0.41261276800570501, 0.41261276800570501,
             0.41261276800570501, 0.41261276800570501, 0.31121408058184952, 0.22646208824501085,
             0.22646208824501085, 0.22646208824501085, 0.22646208824501085, 0.22646208824501085],
      upper2: [0.94215940572012136, 0.91019783284668343, 0.91019783284668343, 0.8735812432744231,
             0.8735812432744231, 0.82976106501983171, 0.78239122444256559, 0.78239122444256559,
             0.78239122444256559, 0.78239122444256559, 0.71923318722497243, 0.6481135841402933,
             0.6481135841402933, 0.6481135841402933, 0.6481135841402933, 0.6481135841402933],
      qp: [0.10000000000000001, 0.25, 0.29999999999999999, 0.5, 0.75],
      q: [6, 13, 13, 23, NA],
      tau: [4, 6, 8.5, 10, 23, 35, 40],
      rmst: [4, 6, 8.0672268907563023, 9.2773109243697469, 17.909243697478988, 23.287394957983192,
             25.528291316526609],
      at: [0, 5, 6, 6.5, 10, 21.899999999999999, 22, 35, 50],
      s_at: [1, 1, 0.8571428571428571, 0.8571428571428571, 0.75294117647058811, 0.62745098039215674,
             0.53781512605042003, 0.44817927170868338, 0.44817927170868338],
    },
    amlm: {
      t: [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161],
      e: [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0],
      time: [9, 13, 18, 23, 28, 31, 34, 45, 48, 161],
      n_risk: [11, 10, 8, 7, 6, 5, 4, 3, 2, 1],
      n_event: [1, 1, 1, 1, 0, 1, 1, 0, 1, 0],
      n_censor: [0, 1, 0, 0, 1, 0, 0, 1, 0, 1],
      surv: [0.90909090909090906, 0.81818181818181812, 0.71590909090909083, 0.61363636363636354,
             0.61363636363636354, 0.49090909090909085, 0.36818181818181817, 0.36818181818181817,
             0.18409090909090908, 0.18409090909090908],
      std_err: [0.095346258924559224, 0.14213381090374028, 0.19508757792120712, 0.2487341690815455,
             0.2487341690815455, 0.33446776656157295, 0.44181672693778834, 0.44181672693778834,
             0.83378775488850887, 0.83378775488850887],
      lower: [0.50808020576992974, 0.44742861468218142, 0.35019038590793838, 0.26575204000128611,
             0.26575204000128611, 0.16733090977685081, 0.092829574936985182, 0.092829574936985182,
             0.011738480123189602, 0.011738480123189602],
      upper: [0.98667382266782311, 0.95116222858249166, 0.8990239741910534, 0.83529924325022142,
             0.83529924325022142, 0.75339979037081128, 0.6570408323981638, 0.6570408323981638,
             0.52501484272664145, 0.52501484272664145],
      lower2: [0.6101574570968592, 0.52552354983949967, 0.41770409547698667, 0.32345551089470465,
             0.32345551089470465, 0.21403030291315769, 0.12645997412406287, 0.12645997412406287,
             0.022243397998711067, 0.022243397998711067],
      upper2: [0.98178071255740007, 0.939327339190272, 0.87990444004801893, 0.80953443637459876,
             0.80953443637459876, 0.72009679156872664, 0.61705041394141102, 0.61705041394141102,
             0.47116618252922959, 0.47116618252922959],
      qp: [0.25, 0.5, 0.75, 0.90000000000000002],
      q: [18, 31, 48, NA],
      tau: [5, 9, 20.5, 31, 100, 161, 200],
      rmst: [5, 9, 18.517045454545453, 25.21590909090909, 41.415909090909089, 52.645454545454541,
             59.824999999999996],
      at: [1, 9, 13, 17.5, 48, 160, 161, 300],
      s_at: [1, 0.90909090909090906, 0.81818181818181812, 0.81818181818181812, 0.18409090909090908,
             0.18409090909090908, 0.18409090909090908, 0.18409090909090908],
    },
    amln: {
      t: [5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
      e: [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
      time: [5, 8, 12, 16, 23, 27, 30, 33, 43, 45],
      n_risk: [12, 10, 8, 7, 6, 5, 4, 3, 2, 1],
      n_event: [2, 2, 1, 0, 1, 1, 1, 1, 1, 1],
      n_censor: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
      surv: [0.83333333333333337, 0.66666666666666674, 0.58333333333333337, 0.58333333333333337,
             0.48611111111111116, 0.38888888888888895, 0.29166666666666674, 0.19444444444444448,
             0.097222222222222238, 0],
      std_err: [0.12909944487358055, 0.20412414523193151, 0.2439750182371333, 0.2439750182371333,
             0.30472470011002201, 0.3779644730092272, 0.47559486560567088, 0.62678317052800869,
             0.94491118252306805, INF],
      lower: [0.48171494219537886, 0.33701893254140197, 0.27013892408549733, 0.27013892408549733,
             0.19187661961872829, 0.12627201219539366, 0.072401608907771836, 0.03119864293121194,
             0.0057463056958638346, NA],
      upper: [0.95550936572806489, 0.85971179908443984, 0.80094019233338687, 0.80094019233338687,
             0.72967156977948544, 0.64981740828931511, 0.56088605267140923, 0.46142947623811392,
             0.34890386111074972, NA],
      lower2: [0.55747768856873925, 0.39531602419137729, 0.3214736302023905, 0.3214736302023905,
             0.23571444720132789, 0.16135465709025271, 0.097798874872532873, 0.046262345005378472,
             0.010668302903133029, NA],
      upper2: [0.94470047461022899, 0.83765918714989296, 0.77414316305682918, 0.77414316305682918,
             0.69765149408253435, 0.61323995321398039, 0.52046942896970927, 0.41787861784627317,
             0.30226747154378519, NA],
      qp: [0.25, 0.5, 0.75, 0.90000000000000002, 0.98999999999999999],
      q: [8, 23, 33, 43, 45],
      tau: [2, 5, 8, 10.5, 30, 45, 60],
      rmst: [2, 5, 7.5, 9.1666666666666679, 19.694444444444446, 22.708333333333336, 22.708333333333336],
      at: [4.9900000000000002, 5, 8, 12, 29.5, 44, 45, 46],
      s_at: [1, 0.83333333333333337, 0.66666666666666674, 0.58333333333333337, 0.38888888888888895,
             0.097222222222222238, 0, 0],
    },
    wtd: {
      t: [1, 2, 2, 3, 3, 3, 5, 6, 6, 8, 9, 11, 12, 12, 15],
      e: [1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0, 1, 0],
      time: [1, 2, 3, 5, 6, 8, 9, 11, 12, 15],
      n_risk: [17.125, 15.624999999999998, 13.374999999999998, 11.099999999999998, 7.7999999999999989,
             6.1999999999999993, 6.1999999999999993, 3.9999999999999996, 3.0999999999999996, 1.05],
      n_event: [1.5, 0.25, 1.875, 0, 1.6000000000000001, 0, 2.2000000000000002, 0.90000000000000002,
             0.34999999999999998, 0],
      n_censor: [0, 2, 0.40000000000000002, 3.2999999999999998, 0, 0, 0, 0, 1.7, 1.05],
      surv: [0.91240875912408759, 0.8978102189781022, 0.77194897332696633, 0.77194897332696633,
             0.61360046597784512, 0.61360046597784512, 0.39587126837280329, 0.30680023298892256,
             0.27216149700630227, 0.27216149700630227],
      std_err: [0.074872153809399614, 0.081526007031881911, 0.1372466991279061, 0.1372466991279061,
             0.22786366712800651, 0.22786366712800651, 0.37500870418748661, 0.46174903722440847,
             0.50424983079098951, 0.50424983079098951],
      lower: [0.63481407257409361, 0.62210892231659298, 0.48105996055930789, 0.48105996055930789,
             0.29560682483493128, 0.29560682483493128, 0.12895455788874854, 0.078742762996232632,
             0.06196885508321618, 0.06196885508321618],
      upper: [0.98167861694018688, 0.97581533149050148, 0.91251123992271821, 0.91251123992271821,
             0.82223115607580277, 0.82223115607580277, 0.65755183320116251, 0.57735459535472622,
             0.54392718874301094, 0.54392718874301094],
      lower2: [0.70376972950732197, 0.68798086990137752, 0.53839381579493417, 0.53839381579493417,
             0.34920170277379226, 0.34920170277379226, 0.16479327868796986, 0.10570603534560798,
             0.085309982728591804, 0.085309982728591804],
      upper2: [0.97636470450328527, 0.9694074546327246, 0.89744395523247267, 0.89744395523247267,
             0.79713471443493444, 0.79713471443493444, 0.62110774472130181, 0.53725481432908606,
             0.50257004809261596, 0.50257004809261596],
      qp: [0.10000000000000001, 0.25, 0.5, 0.75],
      q: [2, 6, 9, NA],
      tau: [0.5, 1, 2.5, 6, 12, 15, 20],
      rmst: [0.5, 1, 2.3613138686131387, 5.1260658980830884, 8.0654100657511538, 8.8818945567700602,
             10.242702041801572],
      at: [0.5, 1, 2, 2.5, 8, 12, 14.99, 15, 16],
      s_at: [1, 0.91240875912408759, 0.8978102189781022, 0.8978102189781022, 0.61360046597784512,
             0.27216149700630227, 0.27216149700630227, 0.27216149700630227, 0.27216149700630227],
      w: [1.5, 0.25, 2, 0.75, 1.125, 0.40000000000000002, 3.2999999999999998, 0.59999999999999998, 1, 0,
             2.2000000000000002, 0.90000000000000002, 1.7, 0.34999999999999998, 1.05],
    },
    half: {
      t: [2, 2, 2, 2, 3, 4, 5, 9],
      e: [1, 1, 1, 1, 0, 0, 1, 0],
      time: [2, 3, 4, 5, 9],
      n_risk: [8, 4, 3, 2, 1],
      n_event: [4, 0, 0, 1, 0],
      n_censor: [0, 1, 1, 0, 1],
      surv: [0.5, 0.5, 0.5, 0.25, 0.25],
      std_err: [0.35355339059327379, 0.35355339059327379, 0.35355339059327379, 0.79056941504209488,
             0.79056941504209488],
      lower: [0.15203589029902395, 0.15203589029902395, 0.15203589029902395, 0.014420423806139121,
             0.014420423806139121],
      upper: [0.77486501206688874, 0.77486501206688874, 0.77486501206688874, 0.63549392516033976,
             0.63549392516033976],
      lower2: [0.20109809124909855, 0.20109809124909855, 0.20109809124909855, 0.028959246108807086,
             0.028959246108807086],
      upper2: [0.74115810762024148, 0.74115810762024148, 0.74115810762024148, 0.58123578005696408,
             0.58123578005696408],
      qp: [0.25, 0.40000000000000002, 0.5, 0.59999999999999998, 0.75, 0.80000000000000004],
      q: [2, 2, 3.5, 5, 7, NA],
      tau: [1, 2, 3.5, 5, 9, 12],
      rmst: [1, 2, 2.75, 3.5, 4.5, 5.25],
      at: [1, 2, 4, 5, 9, 10],
      s_at: [1, 0.5, 0.5, 0.25, 0.25, 0.25],
    },
    zero: {
      t: [1, 3, 3, 4, 6, 6, 7, 8, 8],
      e: [1, 1, 0, 1, 1, 0, 1, 1, 1],
      time: [1, 3, 4, 6, 7, 8],
      n_risk: [9, 8, 6, 5, 3, 2],
      n_event: [1, 1, 1, 1, 1, 2],
      n_censor: [0, 1, 0, 1, 0, 0],
      surv: [0.88888888888888884, 0.77777777777777768, 0.64814814814814814, 0.51851851851851849,
             0.34567901234567899, 0],
      std_err: [0.11785113019775792, 0.17817416127494959, 0.25510657592340708, 0.33923349639940492,
             0.53079754308590366, INF],
      lower: [0.43296509022580565, 0.36475123116547392, 0.25317459438599577, 0.16406665034581661,
             0.059098019209992657, NA],
      upper: [0.983564028525579, 0.93929644248660171, 0.87206762779799019, 0.78768893349845381,
             0.67104547907516854, NA],
      lower2: [0.54295640262988798, 0.44636330970050808, 0.3194239439065652, 0.21524180422183187,
             0.089235987048019355, NA],
      upper2: [0.97754072847636497, 0.92468648091731431, 0.84808970923419713, 0.7551535617513162,
             0.62691335291903449, NA],
      qp: [0.25, 0.5, 0.75, 0.90000000000000002, 0.98999999999999999],
      q: [4, 7, 8, 8, 8],
      tau: [0.5, 1, 4.5, 7, 8, 10],
      rmst: [0.5, 1, 3.8796296296296293, 5.3703703703703702, 5.716049382716049, 5.716049382716049],
      at: [0.5, 3, 7.5, 8, 9],
      s_at: [1, 0.77777777777777768, 0.34567901234567899, 0, 0],
    },
    ttv: {
      t: [1.5, 2.0, 2.0, 3.0, 3.5, 4.0, 4.0, 5.25, 6.0, 7.0, 9.0, 10.0, 12.0, 14.0, 21.0, 21.0],
      e: [1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0],
      time: [1.5, 2, 3, 3.5, 4, 5.25, 6, 7, 9, 10, 12, 14, 21],
      n_risk: [16, 15, 13, 12, 11, 9, 8, 7, 6, 5, 4, 3, 2],
      n_event: [1, 2, 0, 1, 2, 1, 0, 1, 1, 0, 1, 1, 0],
      n_censor: [0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 2],
      surv: [0.9375, 0.8125, 0.8125, 0.74479166666666663, 0.609375, 0.54166666666666663, 0.54166666666666663,
             0.46428571428571425, 0.38690476190476186, 0.38690476190476186, 0.2901785714285714,
             0.19345238095238093, 0.19345238095238093],
      std_err: [0.064549722436790274, 0.12009611535381536, 0.12009611535381536, 0.14832004078624877,
             0.20542846614053931, 0.23683273335783547, 0.23683273335783547, 0.28266458462153937,
             0.33650052114759155, 0.33650052114759155, 0.44335756908609786, 0.60268781365861435,
             0.60268781365861435],
      lower: [0.63234544173890384, 0.52460431082664949, 0.52460431082664949, 0.45371710040742191,
             0.32737852711709092, 0.2705779320959576, 0.2705779320959576, 0.20606951467290008,
             0.14929661363651237, 0.14929661363651237, 0.082303051497209803, 0.034329305193715152,
             0.034329305193715152],
      upper: [0.99095314174466642, 0.93535225796582944, 0.93535225796582944, 0.89596098390615664,
             0.80274671193169045, 0.75009152179792349, 0.75009152179792349, 0.68887828691656761,
             0.62243095010015059, 0.62243095010015059, 0.54173724522041045, 0.44917746337060288,
             0.44917746337060288],
      lower2: [0.71575221905523767, 0.58413233906297335, 0.58413233906297335, 0.50948029650917015,
             0.37537100185387223, 0.31430762943972579, 0.31430762943972579, 0.2450197679584844,
             0.18252272152817117, 0.18252272152817117, 0.10745381771217138, 0.049606163260211972,
             0.049606163260211972],
      upper2: [0.98762222999501448, 0.92293798487755008, 0.92293798487755008, 0.87920067001571667,
             0.77849624597599054, 0.72268493839218695, 0.72268493839218695, 0.65798858348600009,
             0.58852565734706297, 0.58852565734706297, 0.50346153752480405, 0.40721100796177756,
             0.40721100796177756],
      qp: [0.10000000000000001, 0.25, 0.5, 0.75, 0.80000000000000004, 0.90000000000000002],
      q: [2, 3.5, 7, 14, 14, NA],
      tau: [1, 3.5, 7, 30],
      rmst: [1, 3.1875, 5.26953125, 11.034412202380953],
      at: [1, 4, 10, 21],
      s_at: [1, 0.609375, 0.38690476190476186, 0.19345238095238093],
    },
  }.freeze
  INTEGRAL = %i[mp6 amlm amln wtd half zero].freeze # ttv is real-valued
  FIELDS = { time: :time, n_risk: :n_risk, n_event: :n_event, n_censor: :n_censor, survival: :surv,
             std_err: :std_err }.freeze

  def fit(name, **kw)
    r = R.fetch(name)
    Libcs::KaplanMeier.fit(durations: r[:t], events: r[:e], weights: r[:w], **kw)
  end

  # The curve against R's columns, with libcs's documented differences.
  def check_curve(name, curve, second: false)
    r = R.fetch(name)
    assert_equal r[:time].size, curve.size, name
    FIELDS.each do |field, key|
      r[key].each_with_index do |want, i|
        got = curve[field][i]
        if want == INF
          assert got.nan?, "#{name} #{field}[#{i}]: R's Inf is NaN in libcs"
        else
          assert_close want, got, 1e-10, "#{name} #{field}[#{i}]"
        end
      end
    end
    lower = second ? r[:lower2] : r[:lower]
    upper = second ? r[:upper2] : r[:upper]
    curve.size.times do |i|
      s = curve.survival[i]
      if lower[i].nil?
        assert_includes [0.0, 1.0], s, "#{name}: R's NA bound where S = #{s}"
        assert_equal [s, s], [curve.lower[i], curve.upper[i]], name
      else
        assert_close lower[i], curve.lower[i], 1e-10, "#{name} lower[#{i}]"
        assert_close upper[i], curve.upper[i], 1e-10, "#{name} upper[#{i}]"
      end
    end
  end

  def test_curves_against_r
    R.each_key do |name|
      km = fit(name)
      assert_equal INTEGRAL.include?(name), km.integer?, "#{name}: Integer durations fit with fit_int"
      assert_equal 0.95, km.level
      assert_equal R[name][:time].size, km.size
      assert_equal km.size, km.length
      c = km.curve
      assert_instance_of Libcs::KmCurve, c
      assert c.frozen?
      assert c.survival.frozen?
      check_curve(name, c)
      check_curve(name, fit(name, level: 0.9).curve, second: true)
      # a row of the curve
      assert_equal(c.members.to_h { |m| [m, c[m][0]] }, c.row(0))
    end
  end

  def test_fit_and_fit_int_are_bit_identical
    INTEGRAL.each do |name|
      r = R.fetch(name)
      by_int = fit(name)
      assert by_int.integer?
      floats = Libcs::KaplanMeier.fit(durations: r[:t].map(&:to_f), events: r[:e], weights: r[:w])
      refute floats.integer?
      forced = fit(name, integer: false)
      refute forced.integer?
      want = by_int.curve.to_a.map { |col| col.pack('G*') }
      assert_equal want, floats.curve.to_a.map { |col| col.pack('G*') }, name
      assert_equal want, forced.curve.to_a.map { |col| col.pack('G*') }, name
    end
    # integer: true with Integers; whole Floats are not Integers
    km = Libcs::KaplanMeier.fit(durations: [30, 60, 90, 120], events: [1, 1, 1, 1], integer: true)
    assert km.integer?
    assert_raises(TypeError) { Libcs::KaplanMeier.fit(durations: [1.0, 2.0], events: [1, 1], integer: true) }
    e = assert_raises(Libcs::OutOfRangeError) { Libcs::KaplanMeier.fit(durations: [2**31], events: [1], integer: true) }
    assert_match(/durations\[0\] = 2147483648 does not fit in int32_t/, e.message)
    # an Integer past int32 goes to fit, as a double
    big = Libcs::KaplanMeier.fit(durations: [2**31, 2**40], events: [1, 0])
    refute big.integer?
    assert_equal [2.0**31, 2.0**40], big.curve.time
    assert_raises(ArgumentError) { Libcs::KaplanMeier.fit(durations: [1], events: [1], integer: :yes) }
  end

  def test_quantiles_rmst_survival_against_r
    R.each_key do |name|
      r = R.fetch(name)
      km = fit(name)
      r[:qp].zip(r[:q]).each do |p, want|
        if want.nil?
          assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_km_quantile) { km.quantile(p) }
        else
          assert_close want, km.quantile(p), 1e-10, "#{name} quantile(#{p})"
        end
      end
      r[:tau].zip(r[:rmst]).each do |tau, want|
        assert_close want, km.rmst(tau: tau), 1e-10, "#{name} rmst(#{tau})"
        assert_close 2.5 * want, km.ltv(margin_per_period: 2.5, tau: tau), 1e-10, "#{name} ltv(#{tau})"
      end
      r[:at].zip(r[:s_at]).each do |t, want|
        assert_close want, km.survival_at(t), 1e-10, "#{name} survival_at(#{t})"
      end
      median = r[:qp].index(0.5)
      next unless median

      if r[:q][median].nil?
        assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_km_median) { km.median }
      else
        assert_equal km.quantile(0.5), km.median
      end
    end
  end

  # The example of libcs_km_fit(3), worked there by hand.
  def test_man_page_example
    months = [1, 2, 3, 3, 3, 5, 6, 6, 8, 10, 12, 12]
    churned = [1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 0]
    km = Libcs::KaplanMeier.fit(durations: months, events: churned)
    c = km.curve
    assert_equal [1, 2, 3, 5, 6, 8, 10, 12].map(&:to_f), c.time
    assert_equal [12, 11, 10, 7, 6, 4, 3, 2].map(&:to_f), c.n_risk
    assert_close [11.0 / 12, 10.0 / 12, 2.0 / 3, 4.0 / 7, 10.0 / 21, 5.0 / 14, 5.0 / 14, 5.0 / 14], c.survival
    assert_equal 3.0, km.quantile(0.25)
    assert_equal 6.0, km.median
    e = assert_libcs_error(Libcs::UndefinedResultError, function: :libcs_km_quantile, argument: nil) do
      km.quantile(0.75)
    end
    assert_equal 'libcs_km_quantile: result is mathematically undefined (the curve never gets down to 1 - p = 0.25)',
                 e.message
    assert_close 2.0 / 3, km.survival_at(4)
    assert_close 1.0, km.survival_at(-3)
    rmst = 1 + 11.0 / 12 + 10.0 / 12 + 2 * 2.0 / 3 + 4.0 / 7 + 2 * 10.0 / 21 + 4 * 5.0 / 14
    assert_close rmst, km.rmst(tau: 12)
    assert_equal '7.0357', format('%.4f', km.rmst(tau: 12))
    assert_equal '562.86', format('%.2f', km.ltv(margin_per_period: 80, tau: 12))
    assert_equal 0.0, km.rmst(tau: 0)

    # whole days: S is exactly 0.5 from day 60 to day 90, and ends at 0
    Libcs::KaplanMeier.fit(durations: [30, 60, 90, 120], events: [true, true, true, true]) do |km4|
      assert km4.integer?
      assert_equal 75.0, km4.median
      c = km4.curve
      assert_equal 0.0, c.survival[3]
      assert c.std_err[3].nan?
      assert_equal [0.0, 0.0], [c.lower[3], c.upper[3]]
    end
  end

  def test_weights
    r = R.fetch(:wtd)
    # a record of weight 3 counts as three records
    t = [1, 2, 2, 4, 5]
    e = [1, 0, 1, 1, 0]
    w = [1, 3, 1, 2, 1]
    weighted = Libcs::KaplanMeier.fit(durations: t, events: e, weights: w).curve
    expanded = Libcs::KaplanMeier.fit(durations: t.zip(w).flat_map { |x, k| [x] * k },
                                      events: e.zip(w).flat_map { |x, k| [x] * k }).curve
    assert_equal expanded.to_a, weighted.to_a
    # Integer weights convert; a weight of 0 keeps its time
    assert_equal r[:time].size, fit(:wtd).size
    assert_equal fit(:wtd).curve.to_a, Libcs::KaplanMeier.fit(durations: r[:t], events: r[:e],
                                                              weights: r[:w].map(&:to_r)).curve.to_a
  end

  def test_events_true_false_and_order
    r = R.fetch(:mp6)
    flags = r[:e].map { |x| x == 1 }
    assert_equal fit(:mp6).curve.to_a, Libcs::KaplanMeier.fit(durations: r[:t], events: flags).curve.to_a
    order = (0...r[:t].size).to_a.reverse
    shuffled = Libcs::KaplanMeier.fit(durations: order.map { |i| r[:t][i] }, events: order.map { |i| r[:e][i] })
    assert_equal fit(:mp6).curve.to_a, shuffled.curve.to_a
  end

  def test_fit_errors
    fits = { libcs_km_fit: [1.5, 2.0, 3.0], libcs_km_fit_int: [1, 2, 3] }
    fits.each do |fn, d|
      ev = [1, 0, 1]
      # NaN and infinite durations and weights: NonFiniteError with the index
      unless fn == :libcs_km_fit_int
        e = assert_libcs_error(Libcs::NonFiniteError, function: fn, argument: 'durations[1]', index: 1) do
          Libcs::KaplanMeier.fit(durations: [1.5, Float::NAN, 3.0], events: ev)
        end
        assert_match(/durations\[1\] = NaN/, e.message)
        assert_libcs_error(Libcs::NonFiniteError, function: fn, argument: 'durations[2]', index: 2) do
          Libcs::KaplanMeier.fit(durations: [1.5, 2, Float::INFINITY], events: ev)
        end
      end
      assert_libcs_error(Libcs::NonFiniteError, function: fn, argument: 'weights[0]', index: 0) do
        Libcs::KaplanMeier.fit(durations: d, events: ev, weights: [Float::NAN, 1, 1])
      end
      neg = d.dup
      neg[2] = -d[2]
      e = assert_libcs_error(Libcs::DomainError, function: fn, argument: 'durations[2]', index: 2) do
        Libcs::KaplanMeier.fit(durations: neg, events: ev)
      end
      assert_match(/durations are >= 0/, e.message)
      assert_libcs_error(Libcs::DomainError, function: fn, argument: 'events[1]', index: 1) do
        Libcs::KaplanMeier.fit(durations: d, events: [1, 2, 0])
      end
      assert_libcs_error(Libcs::DomainError, function: fn, argument: 'events[0]', index: 0) do
        Libcs::KaplanMeier.fit(durations: d, events: [256, 1, 0]) # not a byte: off the 0/1 scale too
      end
      assert_libcs_error(Libcs::DomainError, function: fn, argument: 'weights[1]', index: 1) do
        Libcs::KaplanMeier.fit(durations: d, events: ev, weights: [1, -0.5, 1])
      end
      assert_libcs_error(Libcs::EmptyInputError, function: fn, argument: 'durations', index: nil) do
        Libcs::KaplanMeier.fit(durations: [], events: [], integer: fn == :libcs_km_fit_int)
      end
      # every weight 0: an empty sample
      e = assert_libcs_error(Libcs::EmptyInputError, function: fn, argument: 'weights', index: nil) do
        Libcs::KaplanMeier.fit(durations: d, events: ev, weights: [0, 0.0, -0.0])
      end
      assert_match(/every weight is 0/, e.message)
      [0, 1, -0.5, 1.5].each do |level|
        assert_libcs_error(Libcs::DomainError, function: fn, argument: 'level', index: nil) do
          Libcs::KaplanMeier.fit(durations: d, events: ev, level: level)
        end
      end
      assert_libcs_error(Libcs::NonFiniteError, function: fn, argument: 'level') do
        Libcs::KaplanMeier.fit(durations: d, events: ev, level: Float::NAN)
      end
      # lengths and types never reach C
      assert_raises(ArgumentError) { Libcs::KaplanMeier.fit(durations: d, events: [1, 0]) }
      assert_raises(ArgumentError) { Libcs::KaplanMeier.fit(durations: d, events: ev, weights: [1]) }
      assert_raises(TypeError) { Libcs::KaplanMeier.fit(durations: d, events: [1, nil, 0]) }
      assert_raises(TypeError) { Libcs::KaplanMeier.fit(durations: d, events: [1, 0.5, 0]) }
      assert_raises(TypeError) { Libcs::KaplanMeier.fit(durations: d, events: ev, weights: [1, '2', 3]) }
      assert_raises(TypeError) { Libcs::KaplanMeier.fit(durations: d, events: ev, level: '0.9') }
    end
    assert_raises(TypeError) { Libcs::KaplanMeier.fit(durations: [1, '2'], events: [1, 1]) }
    assert_raises(TypeError) { Libcs::KaplanMeier.fit(durations: 5, events: [1]) }
    assert_raises(TypeError) { Libcs::KaplanMeier.fit(durations: [5], events: 1) }
    assert_raises(ArgumentError) { Libcs::KaplanMeier.fit(durations: [5]) }
  end

  def test_accessor_errors
    km = fit(:mp6)
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_km_survival_at, argument: 't') do
      km.survival_at(Float::NAN)
    end
    assert_raises(TypeError) { km.survival_at(nil) }
    [0, 1, -1, 2].each do |p|
      assert_libcs_error(Libcs::DomainError, function: :libcs_km_quantile, argument: 'p') { km.quantile(p) }
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_km_quantile, argument: 'p') do
      km.quantile(Float::INFINITY)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_km_rmst, argument: 'tau') { km.rmst(tau: -1) }
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_km_rmst, argument: 'tau') { km.rmst(tau: Float::NAN) }
    assert_libcs_error(Libcs::DomainError, function: :libcs_km_ltv, argument: 'margin_per_period') do
      km.ltv(margin_per_period: -1, tau: 10)
    end
    assert_libcs_error(Libcs::DomainError, function: :libcs_km_ltv, argument: 'tau') do
      km.ltv(margin_per_period: 1, tau: -10)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_km_ltv, argument: 'margin_per_period') do
      km.ltv(margin_per_period: Float::INFINITY, tau: 10)
    end
    assert_libcs_error(Libcs::NonFiniteError, function: :libcs_km_ltv, argument: 'tau') do
      km.ltv(margin_per_period: 1, tau: Float::NAN)
    end
    assert_libcs_error(Libcs::OverflowError, function: :libcs_km_ltv) do
      km.ltv(margin_per_period: Float::MAX, tau: 1e300)
    end
    assert_operator km.rmst(tau: Float::MAX), :<=, Float::MAX, 'the area never exceeds tau'
  end

  def test_handle_ownership
    km = fit(:half)
    assert_match(/\A#<Libcs::KaplanMeier 5 distinct times, level 0.95>\z/, km.inspect)
    assert_raises(TypeError) { km.dup }
    assert_raises(TypeError) { km.clone }
    got = Libcs::KaplanMeier.new(durations: R[:half][:t], events: R[:half][:e]) { |k| [k.median, k.quantile(0.25)] }
    assert_equal [3.5, 2.0], got
    km.free
    assert km.freed?
    km.free # twice is fine
    assert_equal '#<Libcs::KaplanMeier (freed)>', km.inspect
    %i[size curve median].each do |m|
      assert_libcs_error(Libcs::InvalidArgumentError, argument: 'self') { km.public_send(m) }
    end
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_km_survival_at) { km.survival_at(1) }
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_km_rmst) { km.rmst(tau: 1) }
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_km_ltv) { km.ltv(margin_per_period: 1, tau: 1) }
    assert_libcs_error(Libcs::InvalidArgumentError, function: :libcs_km_quantile) { km.quantile(0.5) }
    # a block frees even when it raises
    kept = nil
    assert_raises(RuntimeError) do
      Libcs::KaplanMeier.fit(durations: [1], events: [1]) do |k|
        kept = k
        raise 'boom'
      end
    end
    assert kept.freed?
  end

  # The raw interface: a curve into buffers too small is LIBCS_EBUFSIZE with
  # the size needed.
  def test_curve_buffer_too_small
    km = fit(:mp6)
    buf = FFI::MemoryPointer.new(:double, 3)
    needed = FFI::MemoryPointer.new(:size_t)
    rc = Libcs::Native.libcs_km_curve(km.send(:handle, :test), 3, buf, nil, nil, nil, nil, nil, nil, nil, needed)
    assert_equal Libcs::Status::EBUFSIZE, rc
    assert_equal 16, needed.read(:size_t)
  end
end
